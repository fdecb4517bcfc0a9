namespace KarabakhLedger.Domain.Interactions;

/// <summary>
/// An interaction a machine coder found in the news and an event dataset published (GDELT 1.0, GDELT 2.0, ICEWS),
/// imported as a row of that dataset. Its <see cref="InteractionEvent.Facts"/> say what every interaction says, in
/// the ledger's terms (the actors the row's codes or names resolve to, the CAMEO code and day the file gives, the
/// file's citation); <see cref="Provenance"/> keeps what the dataset itself says about the row, never recomputed.
/// </summary>
public sealed record CodedInteraction(InteractionFacts Facts, EventDataProvenance Provenance) : InteractionEvent(Facts);

/// <summary>
/// Where an imported row comes from and what its dataset says of it: the dataset (<see cref="Provenances"/>: gdelt1,
/// gdelt2, icews), its version and column layout, the file (its name inside a .zip, without .gz) and 1-based line,
/// the dataset's own event id, and, where the dataset has them, its Goldstein value (GDELT's GoldsteinScale, ICEWS's
/// Intensity), QuadClass, mention, source and article counts, average tone and the time it recorded the event
/// (GDELT's DATEADDED, as <c>YYYY-MM-DD</c> for GDELT 1.0 and an instant for GDELT 2.0). ICEWS adds its story,
/// sentence and publisher. Values are the file's, as written.
/// </summary>
public sealed record EventDataProvenance(
    string Dataset,
    string DatasetVersion,
    string Layout,
    string File,
    long Line,
    string SourceEventId,
    CodedSide Source,
    CodedSide Target,
    string EventCode,
    decimal? Goldstein = null,
    int? QuadClass = null,
    int? NumMentions = null,
    int? NumSources = null,
    int? NumArticles = null,
    decimal? AvgTone = null,
    string? DateAdded = null,
    string? SourceUrl = null,
    string? StoryId = null,
    string? SentenceNumber = null,
    string? Publisher = null);

/// <summary>
/// One side of an imported row as the dataset coded it. GDELT: the actor code, name, CAMEO country code, known-group
/// code and up to three role (type) codes. ICEWS: the actor's name, its sectors (as the file lists them) and its
/// country's name. <see cref="Resolved"/> is the ledger actor the importer took it for.
/// </summary>
public sealed record CodedSide(
    string Resolved,
    string? Code = null,
    string? Name = null,
    string? Country = null,
    string? KnownGroup = null,
    IReadOnlyList<string>? Types = null,
    string? Sectors = null);
