using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Workbench.Core.Audit;
using Workbench.Core.Playbook;
using Workbench.Security;

namespace Workbench.Api;

// Plays as JSON in the playbook file's shape (PlaybookJson: camelCase, enums as snake_case strings), and what the
// store's active plays would do for one customer.
public static class PlaybookEndpoints
{
    public const int MaxPlayBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapPlaybookApi(this IEndpointRouteBuilder app)
    {
        var plays = app.MapGroup("/api/plays").WithTags("Playbook").RequireAuthorization(Access.Playbook);

        plays.MapGet("/", async (HttpRequest request, PlaybookStore store, CancellationToken ct) =>
            {
                var (filter, refusal) = ReadFilter(request.Query);
                if (refusal is not null) return Results.Problem(statusCode: 400, title: "Filter refused", detail: refusal);
                return Results.Json(await store.ListAsync(filter!, ct), PlaybookJson.Options);
            })
            .WithName("ListPlays")
            .WithSummary("A page of plays: search (name or id), useCaseId, objective, triggerKind, channel, status, segmentId, owner, skip, take (1–500).")
            .ProducesProblem(400);

        plays.MapGet("/{id}", async (string id, HttpContext http, PlaybookStore store, CancellationToken ct) =>
            {
                if (await store.GetAsync(id, ct) is not { } play) return NoSuchPlay(id);
                http.Response.Headers.ETag = ETag(play.Version);
                return Results.Json(play, PlaybookJson.Options);
            })
            .WithName("GetPlay")
            .WithSummary("One play as in a playbook file; the ETag is its version.")
            .ProducesProblem(404);

        plays.MapPost("/", async (HttpContext http, PlaybookStore store, CancellationToken ct) =>
            {
                var (play, problem) = await ReadPlayAsync(http.Request, ct);
                if (problem is not null) return problem;
                return Saved(http, await store.CreateAsync(play!, UserName(http.User), ct), created: true);
            })
            .RequireAuthorization(Access.EditPlaybook)
            .Accepts<Play>("application/json")
            .WithName("CreatePlay")
            .WithSummary("Creates a play (a draft; an empty id gets one made from the name). 400 lists the validator's messages.")
            .ProducesProblem(400)
            .ProducesProblem(413);

        plays.MapPut("/{id}", async (string id, HttpContext http, PlaybookStore store, CancellationToken ct) =>
            {
                var (play, problem) = await ReadPlayAsync(http.Request, ct);
                if (problem is not null) return problem;
                if (play!.Id is { Length: > 0 } bodyId && bodyId != id)
                    return Results.Problem(statusCode: 400, title: "Id mismatch", detail: $"The body is play '{bodyId}' but the address names '{id}'.");
                if (!TryExpectedVersion(http.Request.Headers.IfMatch, play.Version, out var expected))
                    return Results.Problem(statusCode: 400, title: "Bad If-Match", detail: "If-Match takes the play's version as its ETag, e.g. If-Match: \"3\".");
                if (await store.GetAsync(id, ct) is null) return NoSuchPlay(id);
                var result = await store.UpdateAsync(play with { Id = id }, expected, UserName(http.User), ct);
                if (result.Conflict)
                {
                    return Results.Problem(statusCode: 409, title: "Version conflict",
                        detail: $"Not saved: the play is at version {result.CurrentVersion}, the change was made to version {expected}. " +
                            "GET the play again, make the change there, and PUT it with its version.",
                        extensions: new Dictionary<string, object?> { ["currentVersion"] = result.CurrentVersion, ["expectedVersion"] = expected });
                }
                return Saved(http, result, created: false);
            })
            .RequireAuthorization(Access.EditPlaybook)
            .Accepts<Play>("application/json")
            .WithName("UpdatePlay")
            .WithSummary("Saves a new version of a play; the expected version comes from If-Match or the body's version (409 when stale).")
            .ProducesProblem(400)
            .ProducesProblem(404)
            .ProducesProblem(409)
            .ProducesProblem(413);

        // The whole playbook as a file (the Playbook page's Export JSON); `plays import` or the page's Import reads it back.
        app.MapGet("/api/playbook/export.json", async (PlaybookStore store, CancellationToken ct) =>
                Results.File(Encoding.UTF8.GetBytes(PlaybookJson.Export(await store.ExportAsync(ct))), "application/json", "playbook.json"))
            .WithTags("Playbook")
            .RequireAuthorization(Access.Playbook)
            .WithName("ExportPlaybook")
            .WithSummary("Every use case and play as a playbook file (format 1), the same text `plays export` writes.");

        app.MapGet("/api/customers/{id}/plays", async (string id, string? channel, HttpContext http, PlaybookPreviewService previews,
                PlaybookPreviewLimiter limiter, AuditService audit, CancellationToken ct) =>
            {
                var user = http.User;
                if (channel is not null && !PlayChannels.WithContent.Contains(channel))
                    return Results.Problem(statusCode: 400, title: "Unknown channel", detail: $"channel is one of {string.Join(", ", PlayChannels.WithContent)}.");
                if (!limiter.TryAcquire(user.Identity?.Name))
                {
                    http.Response.Headers.RetryAfter = "10";
                    return Results.Problem(statusCode: 429, title: "Too many previews", detail: limiter.RefusalMessage);
                }
                var outcome = await previews.CustomerPlaysAsync(id, channel, null, !PersonalDataAccess.SeesPersonalData(user), ct);
                if (outcome.Result is null) return Results.Problem(statusCode: 404, title: "Unknown customer", detail: $"No customer has the id '{id}'.");
                await audit.RecordPersonalDataAccessAsync(user.Identity?.Name ?? "unknown", id, ct);
                http.Response.Headers.CacheControl = "no-store";
                return Results.Json(outcome.Result, PlaybookJson.Options);
            })
            .WithTags("Playbook")
            .RequireAuthorization(Access.ViewCustomers)
            .RequireAuthorization(Access.Playbook)
            .WithName("GetCustomerPlays")
            .WithSummary("Every active play for one customer (on one channel, or each channel a play allows): eligible ones with every reason and the rendered message, the others with the first blocking reason.")
            .ProducesProblem(400)
            .ProducesProblem(404)
            .ProducesProblem(429);
        return app;
    }

    private static readonly Dictionary<string, Objective> Objectives = Names<Objective>();
    private static readonly Dictionary<string, PlayStatus> Statuses = Names<PlayStatus>();

    private static Dictionary<string, T> Names<T>() where T : struct, Enum =>
        Enum.GetValues<T>().ToDictionary(v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()), StringComparer.Ordinal);

    // The query string as a filter, or what is wrong with it.
    public static (PlayFilter? Filter, string? Refusal) ReadFilter(IQueryCollection query)
    {
        string? Text(string name) => query[name] is { Count: > 0 } v && !string.IsNullOrWhiteSpace(v[0]) ? v[0]!.Trim() : null;
        Objective? objective = null;
        if (Text("objective") is { } o)
        {
            if (!Objectives.TryGetValue(o, out var parsed)) return (null, $"objective is one of {string.Join(", ", Objectives.Keys)}, not '{Cut(o)}'");
            objective = parsed;
        }
        PlayStatus? status = null;
        if (Text("status") is { } s)
        {
            if (!Statuses.TryGetValue(s, out var parsed)) return (null, $"status is one of {string.Join(", ", Statuses.Keys)}, not '{Cut(s)}'");
            status = parsed;
        }
        long? segment = null;
        if (Text("segmentId") is { } g)
        {
            if (!long.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) return (null, $"segmentId is a whole number, not '{Cut(g)}'");
            segment = parsed;
        }
        int? Number(string name, out string? problem)
        {
            problem = null;
            if (Text(name) is not { } t) return null;
            if (int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
            problem = $"{name} is a whole number, not '{Cut(t)}'";
            return null;
        }
        var skip = Number("skip", out var skipProblem);
        if (skipProblem is not null) return (null, skipProblem);
        var take = Number("take", out var takeProblem);
        if (takeProblem is not null) return (null, takeProblem);
        var filter = new PlayFilter(Text("search"), Text("useCaseId"), objective, Text("triggerKind"), Text("channel"), status, segment,
            Text("owner"), skip ?? 0, take ?? 50);
        return filter.Refusal() is { } refusal ? (null, refusal) : (filter, null);
    }

    private static string Cut(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static async Task<(Play? Play, IResult? Problem)> ReadPlayAsync(HttpRequest request, CancellationToken ct)
    {
        IResult TooLarge() => Results.Problem(statusCode: 413, title: "Play too large", detail: $"A play is at most {MaxPlayBytes:N0} bytes of JSON.");
        if (await ApiBodies.ReadLimitedAsync(request, MaxPlayBytes, ct) is not { } body) return (null, TooLarge());
        var (play, problems) = PlaybookJson.ImportPlay(Encoding.UTF8.GetString(body));
        if (play is null)
        {
            return (null, Results.Problem(statusCode: 400, title: "Not a play", detail: string.Join("; ", problems),
                extensions: new Dictionary<string, object?> { ["problems"] = problems }));
        }
        return (play, null);
    }

    // If-Match "3", W/"3" or 3; without one, the body's version.
    public static bool TryExpectedVersion(StringValues ifMatch, int bodyVersion, out int version)
    {
        version = bodyVersion;
        if (ifMatch.Count == 0 || string.IsNullOrWhiteSpace(ifMatch[0])) return true;
        var text = ifMatch[0]!.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
        return int.TryParse(text.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out version) && version >= 1;
    }

    private static string ETag(int version) => ApiBodies.ETag(version);

    private static IResult Saved(HttpContext http, PlaySaveResult result, bool created)
    {
        var messages = result.Problems.Select(m => new
        {
            severity = m.Severity == Severity.Error ? "error" : "warning",
            field = m.Field,
            message = m.Message,
            line = m.Line,
            column = m.Column,
        }).ToList();
        if (result.Saved is not { } play)
        {
            return Results.Problem(statusCode: 400, title: "Play not saved",
                detail: string.Join("; ", result.Problems.Where(m => m.Severity == Severity.Error).Take(5).Select(m => $"{m.Field}: {m.Message}")),
                extensions: new Dictionary<string, object?> { ["problems"] = messages });
        }
        http.Response.Headers.ETag = ETag(play.Version);
        var body = new PlaySaved(play, messages);
        return created
            ? Results.Json(body, PlaybookJson.Options, statusCode: 201).WithLocation($"/api/plays/{Uri.EscapeDataString(play.Id)}", http)
            : Results.Json(body, PlaybookJson.Options);
    }

    private static IResult WithLocation(this IResult result, string location, HttpContext http)
    {
        http.Response.Headers.Location = location;
        return result;
    }

    private sealed record PlaySaved(Play Play, IReadOnlyList<object> Messages);

    private static IResult NoSuchPlay(string id) =>
        Results.Problem(statusCode: 404, title: "No such play", detail: $"There is no play '{id}'.");

    private static string UserName(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
