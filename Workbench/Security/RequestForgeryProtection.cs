using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Identity;
using Microsoft.Net.Http.Headers;

namespace Workbench.Security;

// Requests from elsewhere (another site, or another port or subdomain of this host, which SameSite=Lax lets through
// with the cookie). Runs for every endpoint, so endpoints added later are covered without opting in:
// - any state-changing request (not GET, HEAD, OPTIONS, TRACE), and any WebSocket (the circuit's), whose Origin, or
//   Referer when there is no Origin, is not this app's own origin (scheme, host and port of the request) is refused
//   with 403;
// - a state-changing /api request made with the sign-in cookie must also name this origin in Origin or Referer and
//   carry the antiforgery token (header RequestVerificationToken, the value a page's forms hold); a request with an
//   API token (Authorization: Bearer) needs neither, since a browser never adds that header by itself;
// - a state-changing /api request must have the content type its endpoint accepts (415 otherwise), and an endpoint
//   that accepts none takes no body.
// The app's own forms (sign-in, sign-out) post with the antiforgery token the framework checks.
public static class RequestForgeryProtection
{
    public const string TokenHeader = "RequestVerificationToken";

    public static IApplicationBuilder UseRequestForgeryProtection(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (await RefusalAsync(context) is { } refusal)
        {
            await Results.Problem(statusCode: refusal.Status, title: refusal.Title, detail: refusal.Detail).ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    public static bool ChangesState(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

    private sealed record Refusal(int Status, string Title, string Detail);

    private static async Task<Refusal?> RefusalAsync(HttpContext context)
    {
        var request = context.Request;
        var changesState = ChangesState(request.Method);
        if (!changesState && !context.WebSockets.IsWebSocketRequest) return null;
        var origin = ClaimedOrigin(request);
        if (origin is not null && !IsSameOrigin(request, origin))
        {
            return new(403, "Cross-origin request refused",
                "This request came from a page of another origin; the app accepts changes only from its own pages or with an API token.");
        }
        if (!changesState || !request.Path.StartsWithSegments("/api")) return null;
        if (IsCookieAuthenticated(context))
        {
            if (origin is null)
            {
                return new(403, "Origin missing",
                    "A request signed in with the cookie must say where it comes from (Origin or Referer); scripts use an API token instead.");
            }
            if (!await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
            {
                return new(403, "Antiforgery token missing or invalid",
                    $"A request signed in with the cookie must send the page's antiforgery token in the {TokenHeader} header; scripts use an API token instead.");
            }
        }
        return ContentTypeRefusal(context);
    }

    private static Refusal? ContentTypeRefusal(HttpContext context)
    {
        var request = context.Request;
        var accepted = context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? [];
        if (accepted.Count == 0)
        {
            var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0 || !string.IsNullOrEmpty(request.ContentType);
            return hasBody ? new(415, "No body expected", "This endpoint takes no request body.") : null;
        }
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var sent)
            && accepted.Any(a => MediaTypeHeaderValue.TryParse(a, out var type) && sent.IsSubsetOf(type)))
        {
            return null;
        }
        return new(415, "Unsupported content type",
            $"This endpoint accepts {string.Join(" or ", accepted)}; the request was sent as '{request.ContentType ?? "(none)"}'.");
    }

    // Where the request says it comes from: Origin, else the origin of Referer; null when the request names neither.
    private static string? ClaimedOrigin(HttpRequest request)
    {
        if (request.Headers.Origin is { Count: > 0 } origin) return origin.ToString();
        if (request.Headers.Referer is { Count: > 0 } referer)
        {
            return Uri.TryCreate(referer.ToString(), UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : "null";
        }
        return null;
    }

    // Same scheme, host and port as the request itself ("null", sent by sandboxed or privacy-stripped pages, never is).
    public static bool IsSameOrigin(HttpRequest request, string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !request.Host.HasValue) return false;
        var port = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == port;
    }

    private static bool IsCookieAuthenticated(HttpContext context) =>
        context.User.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == IdentityConstants.ApplicationScheme);
}
