using System.Globalization;
using KarabakhLedger.Scoring.Dedup;

namespace KarabakhLedger.Scoring.Models;

/// <summary>
/// A versioned scoring model: a weight per CAMEO code and the half-life, in days, of the time decay
/// (weight × 2^(−age / half-life)). Models are data (<c>Models/*.json</c>), never constants in code;
/// <see cref="Key"/> (<c>id@version</c>) names one in every result.
/// </summary>
public sealed record ScoringModel
{
    public ScoringModel(string id, int version, string description, IReadOnlyDictionary<string, decimal> weights, decimal halfLifeDays)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException("A model id is a non-empty name without '@'.", nameof(id));
        }

        if (version < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "A model version is 1 or more.");
        }

        if (halfLifeDays <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(halfLifeDays), halfLifeDays, "The half-life must be a positive number of days.");
        }

        if (weights.Count == 0)
        {
            throw new ArgumentException("A model needs weights.", nameof(weights));
        }

        Id = id;
        Version = version;
        Description = description;
        Weights = weights;
        HalfLifeDays = halfLifeDays;
    }

    public string Id { get; }

    public int Version { get; }

    public string Description { get; }

    public IReadOnlyDictionary<string, decimal> Weights { get; }

    public decimal HalfLifeDays { get; }

    /// <summary>
    /// The quad scheme (<c>id@version</c>, <see cref="QuadSchemes"/>) the model's aggregates count QuadClass by. Not a
    /// scoring parameter: scores do not depend on it, so it is not in <see cref="Descriptor"/>.
    /// </summary>
    public string QuadScheme { get; init; } = "gdelt@1";

    /// <summary>
    /// The dedup rules the model applies, in order (<see cref="DedupRules"/>; none for most models). A scoring parameter:
    /// when there are any, <see cref="Descriptor"/> lists them (<c>dedup</c>), so every digest covers them.
    /// </summary>
    public IReadOnlyList<DedupRule> Dedup { get; init; } = [];

    public string Key => $"{Id}@{Version}";

    /// <summary>What a result says of the model that produced it.</summary>
    public ModelDescriptor Descriptor
    {
        get
        {
            var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["halfLifeDays"] = HalfLifeDays.ToString(CultureInfo.InvariantCulture),
                ["weights"] = $"{Weights.Count} CAMEO codes",
            };
            if (Dedup.Count > 0)
            {
                parameters["dedup"] = string.Join(",", Dedup.Select(r => r.Key));
            }

            return new(Id, Version, parameters);
        }
    }

    public decimal WeightOf(string cameoCode) =>
        Weights.TryGetValue(cameoCode, out var weight)
            ? weight
            : throw new KeyNotFoundException($"Model {Key} has no weight for CAMEO code '{cameoCode}'.");

    /// <summary>The same weights with another half-life (a parameter, shown in every result).</summary>
    public ScoringModel WithHalfLife(decimal halfLifeDays) => new(Id, Version, Description, Weights, halfLifeDays) { QuadScheme = QuadScheme, Dedup = Dedup };
}

/// <summary>The model behind a result: id, version and parameters.</summary>
public sealed record ModelDescriptor(string Id, int Version, IReadOnlyDictionary<string, string> Parameters);
