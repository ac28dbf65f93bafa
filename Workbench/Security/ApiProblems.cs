using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace Workbench.Security;

// Every error of the API is application/problem+json: unhandled exceptions (500), values that cannot be bound (400)
// and the bare status codes of authentication, routing and limits. A request with an API token gets the same on a
// page path too (a token user denied a page gets 403, never the sign-in page or the not-found page).
public static class ApiProblems
{
    public static bool IsApiCall(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api")
        || context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    public static IApplicationBuilder UseApiProblems(this IApplicationBuilder app) => app.UseWhen(IsApiCall, api =>
    {
        api.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = async context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                // A value the endpoint could not read (in Development thrown instead of answered): the caller's mistake.
                var (status, title, detail) = error is BadHttpRequestException bad
                    ? (bad.StatusCode, Title(bad.StatusCode), Detail(bad.StatusCode))
                    : (500, "Unexpected error", "The server failed to answer this request; the error is logged. Try again, or report it with the time.");
                context.Response.StatusCode = status;
                await Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
            },
        });
        api.UseStatusCodePages(async context =>
        {
            var status = context.HttpContext.Response.StatusCode;
            await Results.Problem(statusCode: status, title: Title(status), detail: Detail(status)).ExecuteAsync(context.HttpContext);
        });
    });

    private static string Title(int status) => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";

    private static string? Detail(int status) => status switch
    {
        400 => "A route, query or body value could not be read; check its format.",
        401 => "Sign in, or send Authorization: Bearer <API token> (create one on the Account page).",
        403 => "Your role may not use this.",
        404 => "There is nothing at this address.",
        405 => "This address does not take this method.",
        413 => "The request is larger than this endpoint accepts.",
        415 => "This endpoint does not take this content type.",
        429 => "Too many requests; wait a minute and try again.",
        _ => null,
    };
}
