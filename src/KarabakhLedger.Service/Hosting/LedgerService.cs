using KarabakhLedger.Ledger.Reports;
using KarabakhLedger.Projections.Hosting;
using KarabakhLedger.Service.Appending;
using KarabakhLedger.Service.Auditing;
using KarabakhLedger.Service.Following;
using KarabakhLedger.Service.Publishing;
using KarabakhLedger.Service.Security;
using KarabakhLedger.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine;
using Wolverine.Http;

namespace KarabakhLedger.Service.Hosting;

/// <summary>
/// One service node in one process: an Orleans silo with the ledger projections, Wolverine for commands and
/// messages, and the WolverineFx.Http endpoints with their OpenAPI document at <see cref="OpenApiPath"/>. Settings
/// come from configuration (<see cref="LedgerServiceOptions"/>, <see cref="AuthSettings"/>); it listens on
/// <see cref="DefaultUrl"/> unless <c>urls</c> says otherwise.
/// </summary>
public static class LedgerService
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>
    /// Opens the stores and builds the node. <paramref name="configure"/> runs before the settings are read (tests
    /// add configuration and logging there); <paramref name="configureWolverine"/> adds to Wolverine's setup (for
    /// example handlers of <see cref="RelationshipScoreChanged"/>); <paramref name="clock"/> is the only clock the
    /// node reads (default: the system's).
    /// </summary>
    /// <exception cref="Ledger.Store.LedgerStoreUnavailableException">the ledger cannot be opened.</exception>
    public static async Task<WebApplication> BuildAsync(
        string[] args,
        Action<WebApplicationBuilder>? configure = null,
        Action<WolverineOptions>? configureWolverine = null,
        TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(LedgerService).Assembly.GetName().Name,
        });
        configure?.Invoke(builder);
        var section = builder.Configuration.GetSection(LedgerServiceOptions.Section);
        var settings = section.Get<LedgerServiceOptions>() ?? new LedgerServiceOptions();
        clock ??= TimeProvider.System;
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]) && string.IsNullOrEmpty(builder.Configuration["HTTP_PORTS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.MaxBodyBytes);
        var stores = await settings.Location().OpenAsync(clock, settings.ProjectionSchema, cancellationToken);
        try
        {
            AddServices(builder, settings, stores, clock, configureWolverine);
            var app = builder.Build();
            app.Services.GetRequiredService<LedgerStores>();
            MapPipeline(app);
            return app;
        }
        catch
        {
            await stores.DisposeAsync();
            throw;
        }
    }

    private static void AddServices(
        WebApplicationBuilder builder, LedgerServiceOptions settings, LedgerStores stores, TimeProvider clock, Action<WolverineOptions>? configureWolverine)
    {
        var services = builder.Services;
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        services.Configure<LedgerServiceOptions>(builder.Configuration.GetSection(LedgerServiceOptions.Section));
        services.AddSingleton(clock);
        services.AddSingleton(_ => stores);
        services.AddSingleton<LedgerAppendSignal>();
        services.AddSingleton<LedgerWriter>();
        services.AddSingleton<DyadSummaries>();
        services.AddHostedService<ScoreChangeOutbox>();
        services.AddSingleton(CheckpointSigner.Load(settings.Checkpoints, clock));
        services.AddSingleton<CheckpointPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckpointPublisher>());
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemResponses>();
        services.ConfigureHttpJsonOptions(o => ServiceJson.Apply(o.SerializerOptions));
        services.AddLedgerSecurity(builder.Configuration);
        services.AddLedgerTelemetry(builder.Configuration);
        services.AddOpenApi();
        builder.UseOrleans(silo =>
        {
            SiloSetup.Configure(silo, settings.Cluster);
            silo.AddLedgerProjections(stores.Ledger, stores.Snapshots, o => o.PollInterval = settings.ProjectionPollInterval);
        });
        builder.Host.UseWolverine(opts =>
        {
            opts.ApplicationAssembly = typeof(LedgerService).Assembly;
            opts.UseRuntimeCompilation();
            MessageStorage.Configure(opts, stores.Location, settings);
            configureWolverine?.Invoke(opts);
        });
        services.AddWolverineHttp();
    }

    private static void MapPipeline(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        WebUi.WebUiAssets.Map(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi(OpenApiPath).AllowAnonymous();
        app.MapWolverineEndpoints(opts =>
        {
            opts.RejectUnparseableQueryValues = true;
            opts.WarmUpRoutes = RouteWarmup.Eager;
        });
    }
}
