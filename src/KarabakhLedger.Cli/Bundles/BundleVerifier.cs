using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using KarabakhLedger.Domain.Time;
using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Scoring.Models;
using KarabakhLedger.Scoring.Queries;

namespace KarabakhLedger.Cli.Bundles;

/// <summary>One check of a bundle: its category (docs/audit-bundle.md), whether it held, and what it checked.</summary>
public sealed record BundleCheck(string Category, bool Holds, string What)
{
    public override string ToString() => $"{(Holds ? "ok" : "FAILED")} {Category}: {What}";
}

/// <summary>
/// Checks an audit bundle with nothing but the bundle and the ledger's public key (docs/audit-bundle.md): the
/// checkpoint's signature; each event's hash input against its stored fields and hash, and its leaf's inclusion proof
/// against the checkpoint's root; the model data against its hash; and the derivation, recomputed from the facts the
/// hash inputs hold and the model's weights, down to the score and the digest.
/// </summary>
public static class BundleVerifier
{
    public const string Format = "format";
    public const string Signature = "signature";
    public const string EventHashCheck = "event-hash";
    public const string Inclusion = "inclusion";
    public const string ModelHash = "model-hash";
    public const string Derivation = "derivation";

    public static IReadOnlyList<BundleCheck> Verify(string json, LedgerVerifyingKey key, string? expectedModelHash)
    {
        var checks = new List<BundleCheck>();
        AuditBundle bundle;
        try
        {
            bundle = AuditBundle.Parse(json);
        }
        catch (JsonException e)
        {
            checks.Add(new(Format, false, $"the file is not an audit bundle: {e.Message}"));
            return checks;
        }

        checks.Add(new(Format, bundle.Format == AuditBundle.FormatName, $"format is '{AuditBundle.FormatName}'"));
        if (!checks[^1].Holds)
        {
            return checks;
        }

        var checkpoint = CheckSignature(bundle, key, checks);
        foreach (var e in bundle.Events)
        {
            checks.Add(new(EventHashCheck, HashHolds(e), $"event {e.EventId:D}: its stored fields are its hash input, which hashes to {e.Hash}"));
            checks.Add(checkpoint is null
                ? new(Inclusion, false, $"event {e.EventId:D}: no readable checkpoint to prove it against")
                : new(Inclusion, IsIncluded(e, checkpoint), $"event {e.EventId:D}: leaf {e.LeafIndex} of {checkpoint.Size} leads to the checkpoint's root"));
        }

        var modelHash = bundle.Model.Hash();
        checks.Add(new(ModelHash, modelHash == bundle.ModelHash, $"the model data ({bundle.Model.Id}@{bundle.Model.Version}, {bundle.Model.Weights.Count} weights) hashes to modelHash {bundle.ModelHash}"));
        var trusted = expectedModelHash ?? ShippedModelHash(bundle.Model);
        checks.Add(trusted is null
            ? new(ModelHash, false, $"no model hash to trust: {bundle.Model.Id}@{bundle.Model.Version} is not shipped with this ledger; pass --model-hash")
            : new(ModelHash, trusted == bundle.ModelHash, $"modelHash is the trusted {trusted}{(expectedModelHash is null ? " (the model shipped with this ledger)" : "")}"));

        checks.AddRange(DerivationChecks.Recompute(bundle));
        return checks;
    }

    private static Checkpoint? CheckSignature(AuditBundle bundle, LedgerVerifyingKey key, List<BundleCheck> checks)
    {
        try
        {
            var checkpoint = Checkpoint.Parse(bundle.Checkpoint);
            checks.Add(new(Signature, checkpoint.IsSignedBy(key),
                $"the checkpoint (size {checkpoint.Size}, root {checkpoint.Root}, key {checkpoint.KeyId}) is signed by key {key.KeyId}"));
            return checkpoint;
        }
        catch (FormatException e)
        {
            checks.Add(new(Signature, false, $"the checkpoint is not readable: {e.Message}"));
            return null;
        }
    }

    private static bool HashHolds(BundleEvent e)
    {
        try
        {
            var recordedAt = DateTimeOffset.ParseExact(e.RecordedAt, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            var stored = new StoredEvent(0, e.StreamId, e.StreamVersion, e.EventId, e.Type, e.SchemaVersion, e.Data, recordedAt, e.PreviousHash, e.Hash);
            var preimage = EventHash.Preimage(stored);
            return Convert.ToBase64String(preimage) == e.HashInput && Convert.ToHexStringLower(SHA256.HashData(preimage)) == e.Hash;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return false;
        }
    }

    private static bool IsIncluded(BundleEvent e, Checkpoint checkpoint)
    {
        try
        {
            var leaf = new LedgerLeaf(e.StreamId, e.StreamVersion, e.EventId, e.Hash).Hash();
            return MerkleProofs.VerifyInclusion(e.LeafIndex, checkpoint.Size, leaf, [.. e.Proof.Select(Convert.FromHexString)], checkpoint.RootBytes);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string? ShippedModelHash(BundleModel model)
    {
        var key = $"{model.Id}@{model.Version}";
        return ModelCatalog.Bundled.All.FirstOrDefault(m => m.Key == key) is { } shipped ? BundleModel.Of(shipped).Hash() : null;
    }
}

/// <summary>The derivation's checks: every contribution recomputed from the bundle's events and model, then the totals and the digest.</summary>
internal static class DerivationChecks
{
    public static IEnumerable<BundleCheck> Recompute(AuditBundle bundle)
    {
        var checks = new List<BundleCheck>();
        try
        {
            using var document = JsonDocument.Parse(bundle.Derivation.ToJsonString());
            var d = document.RootElement;
            var asOf = DateOnly.ParseExact(d.GetProperty("asOf").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var knownAt = DateTimeOffset.Parse(d.GetProperty("knownAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            var halfLife = decimal.Parse(bundle.Model.HalfLifeDays, NumberStyles.Float, CultureInfo.InvariantCulture);
            var entries = new List<DigestEntry>();
            var index = 0;
            foreach (var c in d.GetProperty("contributions").EnumerateArray())
            {
                var (entry, problem) = Contribution(bundle, c, asOf, knownAt, halfLife);
                checks.Add(new(BundleVerifier.Derivation, problem is null, $"contribution {index} (event {c.GetProperty("eventId").GetString()}): {problem ?? "facts, weight, age, decay and value recomputed"}"));
                entries.Add(entry);
                index++;
            }

            var model = d.GetProperty("model");
            var descriptor = new ModelDescriptor(bundle.Model.Id, bundle.Model.Version, new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["halfLifeDays"] = bundle.Model.HalfLifeDays,
                ["weights"] = $"{bundle.Model.Weights.Count} CAMEO codes",
            });
            var sameModel = model.GetProperty("id").GetString() == descriptor.Id && model.GetProperty("version").GetInt32() == descriptor.Version
                && descriptor.Parameters.All(p => model.GetProperty("parameters").GetProperty(p.Key).GetString() == p.Value);
            checks.Add(new(BundleVerifier.Derivation, sameModel, $"the derivation names the bundle's model {descriptor.Id}@{descriptor.Version}"));
            var score = entries.Sum(e => e.Value);
            var totals = d.GetProperty("score").GetDecimal() == score
                && d.GetProperty("cooperation").GetDecimal() == entries.Where(e => e.Weight > 0).Sum(e => e.Weight)
                && d.GetProperty("conflict").GetDecimal() == entries.Where(e => e.Weight < 0).Sum(e => e.Weight)
                && d.GetProperty("net").GetDecimal() == entries.Sum(e => e.Weight)
                && d.GetProperty("events").GetInt32() == entries.Count;
            checks.Add(new(BundleVerifier.Derivation, totals, $"score {d.GetProperty("score").GetDecimal().ToString(CultureInfo.InvariantCulture)} = Σ values ({score.ToString(CultureInfo.InvariantCulture)}); cooperation, conflict, net and event count recomputed"));
            var digest = Scorer.Digest(descriptor, asOf, entries);
            checks.Add(new(BundleVerifier.Derivation, d.GetProperty("digest").GetString() == digest, $"digest {digest} recomputed"));
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or JsonException or IndexOutOfRangeException or OverflowException)
        {
            checks.Add(new(BundleVerifier.Derivation, false, $"the derivation is not readable: {e.Message}"));
        }

        return checks;
    }

    private static (DigestEntry Entry, string? Problem) Contribution(AuditBundle bundle, JsonElement c, DateOnly asOf, DateTimeOffset knownAt, decimal halfLife)
    {
        var id = Guid.Parse(c.GetProperty("eventId").GetString()!);
        var hash = c.GetProperty("hash").GetString()!;
        var correctionHash = c.TryGetProperty("correctionHash", out var ch) && ch.ValueKind == JsonValueKind.String ? ch.GetString() : null;
        var weight = c.GetProperty("weight").GetDecimal();
        var decay = c.GetProperty("decayFactor").GetDecimal();
        var value = c.GetProperty("value").GetDecimal();
        var entry = new DigestEntry(id, hash, correctionHash, weight, decay, value);
        if (bundle.Events.FirstOrDefault(e => e.EventId == id) is not { } recorded)
        {
            return (entry, $"event {id:D} is not in the bundle");
        }

        if (recorded.Hash != hash || recorded.Type != c.GetProperty("type").GetString() || recorded.Type is "interaction-corrected" or "interaction-retracted")
        {
            return (entry, "the bundle's event has another hash or type");
        }

        var source = recorded;
        if (correctionHash is not null)
        {
            source = bundle.Events.FirstOrDefault(e => e.Hash == correctionHash && e.Type == "interaction-corrected");
            if (source is null || Data(source).GetProperty("correctedEventId").GetString() != id.ToString("D"))
            {
                return (entry, $"no correction of {id:D} with hash {correctionHash} is in the bundle");
            }
        }

        if (Recorded(recorded) > knownAt || Recorded(source) > knownAt)
        {
            return (entry, "an event was recorded after the derivation's known-at time");
        }

        var facts = Data(source).GetProperty("facts");
        var cameo = facts.GetProperty("cameoCode").GetString()!;
        var occurred = facts.GetProperty("occurredOn").GetString()!;
        var direction = facts.GetProperty("joint").GetBoolean() ? "joint" : $"{facts.GetProperty("initiator").GetString()}→{facts.GetProperty("target").GetString()}";
        if (cameo != c.GetProperty("cameoCode").GetString() || occurred != c.GetProperty("occurredOn").GetString() || direction != c.GetProperty("direction").GetString())
        {
            return (entry, "its CAMEO code, date or direction is not the event's");
        }

        if (!bundle.Model.Weights.TryGetValue(cameo, out var modelWeight) || decimal.Parse(modelWeight, NumberStyles.Float, CultureInfo.InvariantCulture) != weight)
        {
            return (entry, $"its weight {weight} is not the model's for CAMEO code {cameo}");
        }

        var effective = PartialDate.Parse(occurred).End;
        var age = asOf.DayNumber - effective.DayNumber;
        if (effective > asOf || age != c.GetProperty("ageDays").GetInt32())
        {
            return (entry, $"its age is {age} days at {asOf:yyyy-MM-dd}, not {c.GetProperty("ageDays").GetInt32()}");
        }

        var expectedDecay = Scorer.DecayFactor(age, halfLife);
        var expectedValue = Math.Round(weight * expectedDecay, Scorer.Decimals, MidpointRounding.ToEven);
        return expectedDecay == decay && expectedValue == value
            ? (entry, null)
            : (entry, $"decay {decay} and value {value} recomputed as {expectedDecay} and {expectedValue}");
    }

    /// <summary>The event's data as its hash input holds it (the canonical JSON the hash covers), not as the bundle repeats it.</summary>
    private static JsonElement Data(BundleEvent e)
    {
        using var input = JsonDocument.Parse(Convert.FromBase64String(e.HashInput));
        using var data = JsonDocument.Parse(input.RootElement[7].GetString()!);
        return data.RootElement.Clone();
    }

    private static DateTimeOffset Recorded(BundleEvent e)
    {
        using var input = JsonDocument.Parse(Convert.FromBase64String(e.HashInput));
        return DateTimeOffset.Parse(input.RootElement[6].GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
    }
}
