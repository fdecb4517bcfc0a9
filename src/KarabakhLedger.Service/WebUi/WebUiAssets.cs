using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;

namespace KarabakhLedger.Service.WebUi;

/// <summary>
/// The analyst's web UI (docs/ui.md): the files under <c>WebUi/wwwroot</c>, embedded in this assembly by the build
/// (ADR 14), served at <c>/</c> to anyone. The page holds no data; everything it shows comes from the API with the
/// caller's own key or token.
/// </summary>
public static class WebUiAssets
{
    public static IFileProvider Files { get; } = new ManifestEmbeddedFileProvider(typeof(WebUiAssets).Assembly, "WebUi/wwwroot");

    /// <summary>Serves <c>/</c> as <c>index.html</c> and every other embedded file by its path, before authentication.</summary>
    public static void Map(WebApplication app)
    {
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = Files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = Files });
    }
}
