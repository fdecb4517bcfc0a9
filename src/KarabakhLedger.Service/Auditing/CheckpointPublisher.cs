using System.Globalization;
using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Service.Following;
using KarabakhLedger.Service.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KarabakhLedger.Service.Auditing;

/// <summary>
/// Signs a checkpoint of the ledger's Merkle log when the node starts, then whenever <see cref="CheckpointSettings.Interval"/>
/// has passed since the last one or <see cref="CheckpointSettings.EveryEvents"/> events have been added, by the node's
/// <see cref="TimeProvider"/>. The latest is served at <c>GET /api/checkpoints/latest</c>; with
/// <see cref="CheckpointSettings.Directory"/>, each is also written there as a file. Does nothing without a signing key.
/// </summary>
public sealed partial class CheckpointPublisher(
    ILedgerStore store,
    CheckpointSigner signer,
    LedgerAppendSignal appended,
    TimeProvider clock,
    ILogger<CheckpointPublisher> log) : BackgroundService
{
    private Checkpoint? _latest;

    /// <summary>The last checkpoint this node signed; null before the first, or without a signing key.</summary>
    public Checkpoint? Latest => Volatile.Read(ref _latest);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (signer.Key is null)
        {
            return;
        }

        var settings = signer.Settings;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var last = Latest;
                var size = await store.Log.GetSizeAsync(stoppingToken);
                if (last is null || clock.GetUtcNow() - last.Time >= settings.Interval || size - last.Size >= settings.EveryEvents)
                {
                    await PublishAsync(stoppingToken);
                }

                var wait = last is null ? settings.Interval : settings.Interval - (clock.GetUtcNow() - Latest!.Time);
                await appended.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is LedgerStoreUnavailableException or InvalidDataException or IOException)
            {
                LogPublishFailed(log, e, settings.Interval);
                await Task.Delay(settings.Interval, clock, stoppingToken);
            }
        }
    }

    /// <summary>Signs the log's head now and makes it the latest.</summary>
    public async Task<Checkpoint> PublishAsync(CancellationToken cancellationToken)
    {
        var checkpoint = await signer.SignAsync(store, cancellationToken);
        Volatile.Write(ref _latest, checkpoint);
        if (signer.Settings.Directory is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            var name = string.Create(CultureInfo.InvariantCulture, $"{checkpoint.Size:D12}-{checkpoint.Time:yyyyMMdd'T'HHmmss'Z'}{Checkpoint.FileExtension}");
            await File.WriteAllTextAsync(Path.Combine(directory, name), checkpoint.Format(), cancellationToken);
        }

        LogSigned(log, checkpoint.Size, checkpoint.Root);
        return checkpoint;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish a checkpoint; trying again in {Interval}")]
    private static partial void LogPublishFailed(ILogger log, Exception exception, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed checkpoint of {Size} leaves, root {Root}")]
    private static partial void LogSigned(ILogger log, long size, string root);
}

/// <summary>The node's signing key, loaded once at start from <see cref="CheckpointSettings.SigningKey"/>.</summary>
public sealed class CheckpointSigner(CheckpointSettings settings, LedgerSigningKey? key, TimeProvider clock)
{
    public CheckpointSettings Settings { get; } = settings;

    public LedgerSigningKey? Key { get; } = key;

    /// <exception cref="InvalidDataException">the configured key file cannot be used; the message says why.</exception>
    public static CheckpointSigner Load(CheckpointSettings settings, TimeProvider clock)
    {
        if (settings.Interval <= TimeSpan.Zero || settings.EveryEvents <= 0)
        {
            throw new InvalidDataException($"{LedgerServiceOptions.Section}:Checkpoints: Interval and EveryEvents must be positive.");
        }

        if (string.IsNullOrWhiteSpace(settings.SigningKey))
        {
            return new CheckpointSigner(settings, null, clock);
        }

        try
        {
            return new CheckpointSigner(settings, LedgerSigningKey.Load(settings.SigningKey), clock);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{LedgerServiceOptions.Section}:Checkpoints:SigningKey: cannot read {settings.SigningKey}: {e.Message}", e);
        }
    }

    public async Task<Checkpoint> SignAsync(ILedgerStore store, CancellationToken cancellationToken)
    {
        var key = Key ?? throw new InvalidOperationException("No signing key is configured.");
        return Checkpoint.Sign(await MerkleLog.HeadAsync(store.Log, cancellationToken), clock.GetUtcNow(), key);
    }
}
