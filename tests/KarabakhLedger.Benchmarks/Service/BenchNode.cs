using System.Diagnostics;
using KarabakhLedger.Corpus;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Scoring.Queries;
using KarabakhLedger.Ledger.Recording;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Scoring;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KarabakhLedger.Benchmarks.Service;

/// <summary>
/// The real service node (<see cref="LedgerService.BuildAsync"/>: Kestrel, Wolverine, the Orleans silo and the
/// projections) in the benchmark's process, on a free loopback port, with the seed corpus recorded before it starts.
/// The only additions are endpoints mapped on the built host, as the service tests map extra routes, as baselines of
/// the query latency: <see cref="NoopPath"/> (anonymous, empty 200), <see cref="NoopAuthPath"/> (the score's policy, a
/// tiny JSON body) and <see cref="DirectScorePath"/> (the score's work behind a minimal-API endpoint).
/// </summary>
internal sealed class BenchNode : IAsyncDisposable
{
    public const string NoopPath = "/bench/noop";

    public const string NoopAuthPath = "/bench/noop-auth";

    /// <summary>The score endpoint's work (catch up, score, <c>ScoreView</c>) as a minimal-API endpoint: the same work without Wolverine.HTTP.</summary>
    public const string DirectScorePath = "/bench/score-direct/{dyad}";

    private readonly WebApplication _app;
    private readonly List<HttpClient> _clients = [];

    private BenchNode(WebApplication app, Uri address, TimeSpan startup, int seeded)
    {
        _app = app;
        Address = address;
        Startup = startup;
        SeededEvents = seeded;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>From building the host to Kestrel listening (stores opened, Wolverine's code generated, silo up).</summary>
    public TimeSpan Startup { get; }

    public int SeededEvents { get; }

    public static string ApiKey(string role) => $"bench-key-{role}";

    /// <summary>
    /// Starts a node on <paramref name="store"/> (a SQLite path or a connection string; <paramref name="schema"/> for
    /// PostgreSQL), giving up after <paramref name="startupTimeout"/> (default 3 minutes).
    /// </summary>
    public static async Task<BenchNode> StartAsync(string store, string? schema, TimeSpan? startupTimeout = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Ledger:Store"] = store,
        };
        if (schema is not null)
        {
            configuration["Ledger:StoreSchema"] = schema;
        }

        for (var i = 0; i < LedgerRoles.All.Count; i++)
        {
            var role = LedgerRoles.All[i];
            configuration[$"{AuthSettings.Section}:ApiKeys:{i}:Name"] = $"bench-{role}";
            configuration[$"{AuthSettings.Section}:ApiKeys:{i}:Key"] = ApiKey(role);
            configuration[$"{AuthSettings.Section}:ApiKeys:{i}:Roles"] = role;
        }

        var watch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(startupTimeout ?? TimeSpan.FromMinutes(3));
        var app = await LedgerService.BuildAsync(
            [],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(configuration);
                builder.Logging.ClearProviders();
                builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
                builder.Logging.AddFilter((category, level) =>
                    level >= (category?.StartsWith("Polly", StringComparison.Ordinal) == true ? LogLevel.Error : LogLevel.Warning));
            },
            cancellationToken: timeout.Token);
        try
        {
            // The seed corpus, through the same recorder as `ledger seed`, before the silo starts: the projection
            // feed reads it when it comes up.
            var ledger = app.Services.GetRequiredService<LedgerStores>().Ledger;
            var items = await new LedgerRecorder(ledger, EventSerializer.Default, TimeProvider.System).RecordAsync(SeedCorpus.Load(), cancellationToken: timeout.Token);
            var seeded = items.Sum(i => i.Events.Count);

            app.MapGet(NoopPath, () => Results.Ok()).AllowAnonymous();
            app.MapGet(NoopAuthPath, () => Results.Json(new { ok = true })).RequireAuthorization(LedgerPolicies.ReadProjections);
            app.MapGet(DirectScorePath, async (string dyad, LedgerProjections projections, TimeProvider clock, CancellationToken cancellationToken) =>
            {
                await projections.CatchUpAsync(cancellationToken);
                var result = await projections.ScoreAsync(Dyad.Parse(dyad), ScoreQuery.Now(clock), cancellationToken: cancellationToken);
                return Results.Json(ScoreView.From(result), LedgerJson.Options);
            }).RequireAuthorization(LedgerPolicies.ReadProjections);
            await app.StartAsync(timeout.Token);
            watch.Stop();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new BenchNode(app, new Uri(address), watch.Elapsed, seeded);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client with the API key of <paramref name="role"/> (none for null); its pool opens as many connections as callers.</summary>
    public HttpClient Client(string? role, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = 256,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        var client = new HttpClient(handler) { BaseAddress = Address, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        if (role is not null)
        {
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, ApiKey(role));
        }

        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
