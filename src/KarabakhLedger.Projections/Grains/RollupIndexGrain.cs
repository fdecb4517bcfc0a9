using System.Collections.Immutable;
using KarabakhLedger.Projections.Contracts;

namespace KarabakhLedger.Projections.Grains;

/// <summary>One country dyad's roll-up index in one generation (see <see cref="IRollupIndexGrain"/>), kept in the projection storage.</summary>
[GrainType("karabakh.rollup-index")]
public sealed class RollupIndexGrain(
    [PersistentState("rollup", ProjectionStorage.Name)] IPersistentState<RollupIndexState> state) : Grain, IRollupIndexGrain
{
    public async Task RegisterAsync(string dyad)
    {
        if (!state.State.Dyads.Contains(dyad, StringComparer.Ordinal))
        {
            state.State.Dyads.Add(dyad);
            await state.WriteStateAsync();
        }
    }

    public Task<ImmutableArray<string>> GetAsync() =>
        Task.FromResult(state.State.Dyads.Order(StringComparer.Ordinal).ToImmutableArray());

    public Task ReleaseAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
