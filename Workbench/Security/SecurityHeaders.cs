namespace Workbench.Security;

// Blazor Server needs its websocket (connect-src ws: wss:); MudBlazor and Plotly set inline styles;
// Plotly's PNG export and MudBlazor's icons use data: and blob: images. No inline or eval'd script is allowed.
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; " +
        "object-src 'none'";

    public const string ReferrerPolicy = "same-origin";

    // --urls / ASPNETCORE_URLS naming an https:// address, or an HTTPS port configured.
    public static bool IsHttpsBound(IConfiguration configuration) =>
        (configuration["urls"] ?? "").Contains("https://", StringComparison.OrdinalIgnoreCase)
        || !string.IsNullOrEmpty(configuration["https_ports"])
        || !string.IsNullOrEmpty(configuration["https_port"]);

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // same-origin: other sites learn nothing, and the app's own posts carry their Origin (with no-referrer a
            // browser sends Origin: null, which RequestForgeryProtection cannot tell from a forged request).
            headers["Referrer-Policy"] = ReferrerPolicy;
            // Pages, API replies and downloads carry personal data: never stored by a browser or proxy. Static files
            // (scripts, styles, images) set their own caching.
            if (string.IsNullOrEmpty(headers.CacheControl)) headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        await next(context);
    });
}
