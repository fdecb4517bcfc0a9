using System.Text.Json;
using KarabakhLedger.Domain.Validation;

namespace KarabakhLedger.Domain.Actors;

/// <summary>
/// One actor as <c>ledger actors</c> and <c>GET /api/actors</c> show it: its code, name and kind (kebab-case), the
/// state its code places it in, the other codes and names it answers to, and every recorded affiliation.
/// </summary>
public sealed record ActorListing(
    string Code, string Name, string Kind, string? Country, IReadOnlyList<string> Aliases, IReadOnlyList<string> Names,
    IReadOnlyList<AffiliationListing> Affiliations);

/// <summary>One recorded version of an actor's affiliation (<see cref="Affiliation"/>); a null state means none.</summary>
public sealed record AffiliationListing(string? State, string? Role, DateOnly? ValidFrom, DateOnly? ValidTo, DateTimeOffset? RecordedAt, string Note);

/// <summary>The one way to list or search the registry, for the CLI and the service alike.</summary>
public static class ActorListings
{
    /// <summary>The kinds by their listing names: <c>state</c>, <c>international-organisation</c> ….</summary>
    public static IReadOnlyList<string> KindNames { get; } = Enum.GetValues<ActorKind>().Select(KindName).ToArray();

    public static string KindName(ActorKind kind) => JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());

    /// <summary>
    /// Every listed actor, or those <paramref name="search"/> finds by code or name (case and accents ignored), of
    /// <paramref name="kind"/> when given, at most <paramref name="limit"/>.
    /// </summary>
    /// <exception cref="LedgerValidationException">the kind is not one of <see cref="KindNames"/>, or the search is empty.</exception>
    public static IReadOnlyList<ActorListing> Find(ActorRegistry registry, string? search, string? kind, int limit = int.MaxValue)
    {
        ActorKind? wanted = null;
        if (kind is not null)
        {
            var name = kind.Trim().ToLowerInvariant();
            wanted = Enum.GetValues<ActorKind>().Where(k => KindName(k) == name).Cast<ActorKind?>().FirstOrDefault()
                ?? throw new LedgerValidationException("kind", $"must be one of {string.Join(", ", KindNames)} (got '{kind}')");
        }

        if (search is not null && search.Trim().Length == 0)
        {
            throw new LedgerValidationException("search", "must not be empty");
        }

        var actors = search is null ? registry.All : registry.Search(search, int.MaxValue);
        return actors.Where(a => wanted is null || a.Kind == wanted).Take(limit).Select(a => Listing(registry, a)).ToArray();
    }

    private static ActorListing Listing(ActorRegistry registry, Actor actor) => new(
        actor.Code,
        actor.Name,
        KindName(actor.Kind),
        actor.Country,
        registry.CodeAliases.Where(p => p.Value == actor.Code).Select(p => p.Key).Order(StringComparer.Ordinal).ToArray(),
        actor.Names.Skip(1).ToArray(),
        registry.AffiliationsOf(actor.Code).Select(a => new AffiliationListing(a.State, a.Role, a.ValidFrom, a.ValidTo, a.RecordedAt, a.Note)).ToArray());
}
