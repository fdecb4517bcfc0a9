using System.Net.Http.Headers;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wolverine;

namespace KarabakhLedger.Service.Tests.Support;

/// <summary>
/// One service node in the test process, on Kestrel at a free loopback port: the real HTTP pipeline, silo and
/// Wolverine. Clients carry a role's API key; <see cref="Anonymous"/> carries none.
/// </summary>
public sealed class ServiceNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<HttpClient> _clients = [];

    private ServiceNode(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a node on <paramref name="store"/> (a SQLite path or a connection string) with fast polling.</summary>
    public static async Task<ServiceNode> StartAsync(
        string store,
        IEnumerable<KeyValuePair<string, string?>>? settings = null,
        Action<WolverineOptions>? wolverine = null,
        TimeProvider? clock = null,
        Action<WebApplication>? map = null,
        Action<IServiceCollection>? services = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Ledger:Store"] = store,
            ["Ledger:SubscriptionPollInterval"] = "00:00:00.250",
            ["Ledger:SubscriptionHeartbeat"] = "00:00:01",
            ["Ledger:ProjectionPollInterval"] = "00:00:00.250",
        };
        foreach (var (key, value) in TestAuth.Configuration().Concat(settings ?? []))
        {
            configuration[key] = value;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var app = await LedgerService.BuildAsync(
            [],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(configuration);
                services?.Invoke(builder.Services);
                builder.Logging.ClearProviders();
                builder.Logging.AddFilter((_, level) => level >= LogLevel.Warning);
            },
            wolverine,
            clock,
            timeout.Token);
        try
        {
            map?.Invoke(app);
            await app.StartAsync(timeout.Token);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServiceNode(app, new Uri(address));
    }

    /// <summary>A client with the API key of <paramref name="role"/>.</summary>
    public HttpClient As(string role) => Client(c => c.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, TestAuth.ApiKey(role)));

    public HttpClient Bearer(string token) => Client(c => c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token));

    public HttpClient Anonymous() => Client(_ => { });

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

    private HttpClient Client(Action<HttpClient> setup)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        setup(client);
        _clients.Add(client);
        return client;
    }
}
