using Orleans.Runtime;
using Orleans.Storage;

namespace KarabakhLedger.Projections.Storage;

/// <summary>
/// Orleans grain storage over an <see cref="ISnapshotStore"/>: grain state serialized with Orleans' own
/// version-tolerant binary serializer (the state types are <c>[GenerateSerializer]</c>), keyed by state name and
/// grain id, with the store's etags as Orleans etags. A lost race surfaces as <see cref="InconsistentStateException"/>,
/// the exception Orleans expects for it.
/// </summary>
public sealed class SnapshotGrainStorage(ISnapshotStore store, IGrainStorageSerializer serializer) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = await store.ReadAsync(stateName, grainId.ToString());
        if (stored is null)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.State = serializer.Deserialize<T>(new BinaryData(stored.Data));
        grainState.ETag = stored.ETag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = serializer.Serialize(grainState.State);
        try
        {
            grainState.ETag = await store.WriteAsync(stateName, grainId.ToString(), data.ToMemory(), grainState.ETag);
            grainState.RecordExists = true;
        }
        catch (SnapshotConflictException e)
        {
            throw new InconsistentStateException(e.Message, e.Actual ?? "(none)", e.Expected ?? "(none)", e);
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        try
        {
            await store.ClearAsync(stateName, grainId.ToString(), grainState.ETag);
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        catch (SnapshotConflictException e)
        {
            throw new InconsistentStateException(e.Message, e.Actual ?? "(none)", e.Expected ?? "(none)", e);
        }
    }
}
