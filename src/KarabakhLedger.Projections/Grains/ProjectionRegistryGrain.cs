using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using KarabakhLedger.Projections.Contracts;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Scoring.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KarabakhLedger.Projections.Grains;

/// <summary>The one registry of projection generations (see <see cref="IProjectionRegistryGrain"/>).</summary>
[GrainType("karabakh.projection-registry")]
public sealed partial class ProjectionRegistryGrain(
    [PersistentState("registry", ProjectionStorage.Name)] IPersistentState<RegistryState> state,
    ModelCatalog models,
    [FromKeyedServices(ProjectionClock.Key)] TimeProvider clock,
    IOptions<LedgerProjectionOptions> options,
    ILogger<ProjectionRegistryGrain> log) : Grain, IProjectionRegistryGrain
{
    public async Task<ProjectionGenerations> GetAsync()
    {
        await EnsureActiveAsync();
        return Snapshot();
    }

    public async Task<GenerationInfo> BeginReplayAsync(string modelKey)
    {
        var model = models.Get(modelKey);
        await EnsureActiveAsync();
        var s = state.State;
        if (s.Pending is { } running && running.ModelKey == model.Key)
        {
            return running;
        }

        if (s.Pending is { } other)
        {
            LogReplaySuperseded(log, other.Id, other.ModelKey, model.Key);
            s.Retired.Add(other);
        }

        s.Pending = new GenerationInfo(s.NextGeneration++, model.Key, clock.GetUtcNow(), null, null);
        await state.WriteStateAsync();
        LogReplayBegins(log, s.Pending.Id, model.Key);
        return s.Pending;
    }

    public async Task<bool> CompleteReplayAsync(int generation, long position)
    {
        await EnsureActiveAsync();
        var s = state.State;
        if (s.Pending?.Id != generation)
        {
            return false;
        }

        s.Retired.Add(s.Active!);
        s.Active = s.Pending with { ActivatedAt = clock.GetUtcNow(), ActivatedAtPosition = position };
        s.Pending = null;
        await state.WriteStateAsync();
        LogLive(log, generation, s.Active.ModelKey, position);
        return true;
    }

    public async Task AbandonReplayAsync(int generation)
    {
        var s = state.State;
        if (s.Pending?.Id == generation)
        {
            s.Retired.Add(s.Pending);
            s.Pending = null;
            await state.WriteStateAsync();
            LogReplayAbandoned(log, generation);
        }
    }

    private async Task EnsureActiveAsync()
    {
        var s = state.State;
        if (s.Active is not null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        s.Active = new GenerationInfo(s.NextGeneration++, models.Get(options.Value.InitialModelKey).Key, now, now, 0);
        await state.WriteStateAsync();
    }

    private ProjectionGenerations Snapshot() =>
        new(state.State.Active!, state.State.Pending, [.. state.State.Retired]);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay generation {Generation} under {Model} abandoned for a replay under {NewModel}")]
    private static partial void LogReplaySuperseded(ILogger log, int generation, string model, string newModel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay generation {Generation} under {Model} begins")]
    private static partial void LogReplayBegins(ILogger log, int generation, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation {Generation} under {Model} is now live (caught up at position {Position})")]
    private static partial void LogLive(ILogger log, int generation, string model, long position);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay generation {Generation} abandoned")]
    private static partial void LogReplayAbandoned(ILogger log, int generation);
}
