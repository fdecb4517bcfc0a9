namespace KarabakhLedger.Ledger.Import;

/// <summary>The event datasets <c>ledger import</c> reads (column layouts: shared/reference/formats.md).</summary>
public enum EventDataFormat
{
    /// <summary>GDELT 1.0 events: tab-separated, no header; 58 columns (daily files) or 57 (historical backfile, no SOURCEURL).</summary>
    Gdelt1,

    /// <summary>GDELT 2.0 events: tab-separated, no header, 61 columns; DATEADDED to the second.</summary>
    Gdelt2,

    /// <summary>ICEWS events: tab-separated, a header row, 20 columns; countries by name.</summary>
    Icews,
}

/// <summary>Why a row could not be imported: one of these names, counted and written beside the row.</summary>
public static class RejectReasons
{
    /// <summary>The line does not have the layout's columns, or a field does not parse (date, id, number).</summary>
    public const string Malformed = "malformed";

    /// <summary>One side has no actor at all (GDELT: every code blank; ICEWS: country NA and a name the registry does not know).</summary>
    public const string NoActor = "no-actor";

    /// <summary>A side names an actor outside the actor tables.</summary>
    public const string UnknownActor = "unknown-actor";

    /// <summary>Both sides resolve to the same actor: not a dyad.</summary>
    public const string SameActor = "same-actor";

    /// <summary>The event code is not in the CAMEO table.</summary>
    public const string UnknownCameoCode = "unknown-cameo-code";

    /// <summary>The source's event id is already in the ledger (or earlier in the input) for a different row.</summary>
    public const string RepeatedId = "repeated-id";
}
