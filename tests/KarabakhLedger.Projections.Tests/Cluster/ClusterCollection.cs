using System.Diagnostics.CodeAnalysis;

namespace KarabakhLedger.Projections.Tests.Cluster;

/// <summary>
/// Orleans clusters run one at a time (tests of one collection never run in parallel): two cores do not make
/// their timings any fairer when shared. Other test classes still run beside them.
/// </summary>
[CollectionDefinition(Name)]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "An xUnit collection definition; the suffix says what it is, as in xUnit's own naming.")]
public sealed class ClusterCollection
{
    public const string Name = "orleans clusters";
}
