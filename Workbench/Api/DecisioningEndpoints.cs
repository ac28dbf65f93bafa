using Workbench.Core.Audit;
using Workbench.Core.Decisioning;
using Workbench.Core.Playbook;
using Workbench.Security;

namespace Workbench.Api;

// The real-time decision for one customer at a touchpoint, with the engine's full trace.
public static class DecisioningEndpoints
{
    public const int MaxCustomerIdLength = 200;

    // trace=compact: a play that cannot go keeps the first rule that blocks it; trace=full: every rule of every play
    // with the customer's value, as the Why this offer page shows it.
    public const string CompactTrace = "compact";
    public const string FullTrace = "full";

    public static IEndpointRouteBuilder MapDecisioningApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/customers/{id}/next-best-action", async (string id, string? channel, string? trace, HttpContext http, NextBestActionService decisions,
                AuditService audit, CancellationToken ct) =>
            {
                if (id.Length > MaxCustomerIdLength)
                    return Results.Problem(statusCode: 400, title: "Id too long", detail: $"A customer id has at most {MaxCustomerIdLength} characters.");
                if (channel is not null && !PlayChannels.WithContent.Contains(channel))
                    return Results.Problem(statusCode: 400, title: "Unknown channel", detail: $"channel is one of {string.Join(", ", PlayChannels.WithContent)}.");
                if (trace is not null && trace != FullTrace && trace != CompactTrace)
                    return Results.Problem(statusCode: 400, title: "Unknown trace", detail: $"trace is {CompactTrace} (the default) or {FullTrace}.");
                var outcome = await decisions.DecideAsync(id, channel, null, ct, fullTrace: trace == FullTrace);
                if (outcome.Action is null) return Results.Problem(statusCode: 404, title: "Unknown customer", detail: $"No customer has the id '{id}'.");
                await audit.RecordPersonalDataAccessAsync(http.User.Identity?.Name ?? "unknown", id, ct);
                http.Response.Headers.CacheControl = "no-store";
                return Results.Json(outcome.Action, PlaybookJson.Compact);
            })
            .WithTags("Decisioning")
            .RequireAuthorization(Access.ViewCustomers)
            .RequireAuthorization(Access.Playbook)
            .WithName("GetNextBestAction")
            .WithSummary("The best eligible play for the customer now (on one channel, or any): every play and channel considered with its verdict (trace=compact, the default: the first rule that blocks it; trace=full: every rule with the customer's value), each score factor, the contact policy's choice with its trace, and what the caps cost.")
            .ProducesProblem(400)
            .ProducesProblem(404);
        return app;
    }
}
