using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Workbench.Core.Campaigns;
using Workbench.Core.Playbook;
using Workbench.Security;

namespace Workbench.Api;

// Campaigns as JSON (CampaignJson: camelCase, enums as snake_case strings); the ETag is the version, If-Match guards a PUT.
public static class CampaignEndpoints
{
    public const int MaxCampaignBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapCampaignApi(this IEndpointRouteBuilder app)
    {
        var campaigns = app.MapGroup("/api/campaigns").WithTags("Campaigns").RequireAuthorization(Access.Campaigns);

        campaigns.MapGet("/", async (HttpRequest request, CampaignStore store, CancellationToken ct) =>
            {
                var (filter, refusal) = ReadFilter(request.Query);
                if (refusal is not null) return Results.Problem(statusCode: 400, title: "Filter refused", detail: refusal);
                var page = await store.ListAsync(filter!, ct);
                return Results.Json(new { items = page.Items.Select(i => i.Campaign).ToList(), nextRuns = page.Items.ToDictionary(i => i.Id, i => i.NextRunAt), total = page.Total },
                    CampaignJson.Options);
            })
            .WithName("ListCampaigns")
            .WithSummary("A page of campaigns, next run first: search (name or id), status, stage, skip, take (1–500); nextRuns gives each one's next run (UTC) while scheduled.")
            .ProducesProblem(400);

        campaigns.MapGet("/{id}", async (string id, HttpContext http, CampaignStore store, CancellationToken ct) =>
            {
                if (await store.GetAsync(id, ct) is not { } campaign) return NoSuchCampaign(id);
                http.Response.Headers.ETag = ETag(campaign.Version);
                return Results.Json(campaign, CampaignJson.Options);
            })
            .WithName("GetCampaign")
            .WithSummary("One campaign; the ETag is its version.")
            .ProducesProblem(404);

        campaigns.MapPost("/", async (HttpContext http, CampaignStore store, CancellationToken ct) =>
            {
                var (campaign, problem) = await ReadCampaignAsync(http.Request, ct);
                if (problem is not null) return problem;
                return Saved(http, await store.CreateAsync(campaign!, UserName(http.User), ct), created: true);
            })
            .RequireAuthorization(Access.EditCampaigns)
            .Accepts<Campaign>("application/json")
            .WithName("CreateCampaign")
            .WithSummary("Creates a campaign as a draft (an empty id is made from the name). 400 lists the validator's messages.")
            .ProducesProblem(400)
            .ProducesProblem(413);

        campaigns.MapPut("/{id}", async (string id, HttpContext http, CampaignStore store, CancellationToken ct) =>
            {
                var (campaign, problem) = await ReadCampaignAsync(http.Request, ct);
                if (problem is not null) return problem;
                if (campaign!.Id is { Length: > 0 } bodyId && bodyId != id)
                    return Results.Problem(statusCode: 400, title: "Id mismatch", detail: $"The body is campaign '{bodyId}' but the address names '{id}'.");
                if (!PlaybookEndpoints.TryExpectedVersion(http.Request.Headers.IfMatch, campaign.Version, out var expected))
                    return Results.Problem(statusCode: 400, title: "Bad If-Match", detail: "If-Match takes the campaign's version as its ETag, e.g. If-Match: \"3\".");
                if (await store.GetAsync(id, ct) is null) return NoSuchCampaign(id);
                var result = await store.UpdateAsync(campaign with { Id = id }, expected, UserName(http.User), ct);
                if (result.Conflict)
                {
                    return Results.Problem(statusCode: 409, title: "Version conflict",
                        detail: $"Not saved: the campaign is at version {result.CurrentVersion}, the change was made to version {expected}. " +
                            "GET the campaign again, make the change there, and PUT it with its version.",
                        extensions: new Dictionary<string, object?> { ["currentVersion"] = result.CurrentVersion, ["expectedVersion"] = expected });
                }
                return Saved(http, result, created: false);
            })
            .RequireAuthorization(Access.EditCampaigns)
            .Accepts<Campaign>("application/json")
            .WithName("UpdateCampaign")
            .WithSummary("Saves a new version of a campaign; the expected version comes from If-Match or the body's version (409 when stale).")
            .ProducesProblem(400)
            .ProducesProblem(404)
            .ProducesProblem(409)
            .ProducesProblem(413);
        return app;
    }

    private static readonly Dictionary<string, CampaignStatus> Statuses = Names<CampaignStatus>();
    private static readonly Dictionary<string, CampaignStage> Stages = Names<CampaignStage>();

    private static Dictionary<string, T> Names<T>() where T : struct, Enum =>
        Enum.GetValues<T>().ToDictionary(v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()), StringComparer.Ordinal);

    public static (CampaignFilter? Filter, string? Refusal) ReadFilter(IQueryCollection query)
    {
        string? Text(string name) => query[name] is { Count: > 0 } v && !string.IsNullOrWhiteSpace(v[0]) ? v[0]!.Trim() : null;
        var search = Text("search");
        if (search is { Length: > CampaignFilter.MaxSearchLength }) return (null, $"search is at most {CampaignFilter.MaxSearchLength} characters");
        CampaignStatus? status = null;
        if (Text("status") is { } s)
        {
            if (!Statuses.TryGetValue(s, out var parsed)) return (null, $"status is one of {string.Join(", ", Statuses.Keys)}");
            status = parsed;
        }
        CampaignStage? stage = null;
        if (Text("stage") is { } g)
        {
            if (!Stages.TryGetValue(g, out var parsed)) return (null, $"stage is one of {string.Join(", ", Stages.Keys)}");
            stage = parsed;
        }
        var skip = 0;
        if (Text("skip") is { } k && (!int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip > 1_000_000))
            return (null, "skip is a whole number from 0 to 1,000,000");
        var take = 50;
        if (Text("take") is { } t && (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take < 1 || take > CampaignFilter.MaxTake))
            return (null, $"take is a whole number from 1 to {CampaignFilter.MaxTake}");
        return (new CampaignFilter(search, status, stage, skip, take), null);
    }

    private static async Task<(Campaign? Campaign, IResult? Problem)> ReadCampaignAsync(HttpRequest request, CancellationToken ct)
    {
        IResult TooLarge() => Results.Problem(statusCode: 413, title: "Campaign too large", detail: $"A campaign is at most {MaxCampaignBytes:N0} bytes of JSON.");
        if (await ApiBodies.ReadLimitedAsync(request, MaxCampaignBytes, ct) is not { } body) return (null, TooLarge());
        try
        {
            var campaign = JsonSerializer.Deserialize<Campaign>(body, CampaignJson.Options);
            if (campaign is null) return (null, Results.Problem(statusCode: 400, title: "Not a campaign", detail: "The body is null; send a campaign object."));
            return (campaign, null);
        }
        catch (JsonException e)
        {
            var where = e.Path is { } path ? $" at {path}" : "";
            var line = e.LineNumber is { } l ? $" (line {l + 1}, position {(e.BytePositionInLine ?? 0) + 1})" : "";
            return (null, Results.Problem(statusCode: 400, title: "Not a campaign", detail: $"The body is not a campaign{where}{line}: {FirstSentence(e.Message)}"));
        }
    }

    private static string FirstSentence(string message) => message.Split(". Path:", 2)[0].Split(" LineNumber:", 2)[0];

    private static string ETag(int version) => ApiBodies.ETag(version);

    private static IResult Saved(HttpContext http, CampaignSaveResult result, bool created)
    {
        var messages = result.Problems.Select(m => new { severity = m.Severity == Severity.Error ? "error" : "warning", field = m.Field, message = m.Message }).ToList();
        if (result.Saved is not { } campaign)
        {
            return Results.Problem(statusCode: 400, title: "Campaign not saved",
                detail: string.Join("; ", result.Problems.Where(m => m.Severity == Severity.Error).Take(5).Select(m => $"{m.Field}: {m.Message}")),
                extensions: new Dictionary<string, object?> { ["problems"] = messages });
        }
        http.Response.Headers.ETag = ETag(campaign.Version);
        var body = new { campaign, messages };
        if (!created) return Results.Json(body, CampaignJson.Options);
        http.Response.Headers.Location = $"/api/campaigns/{Uri.EscapeDataString(campaign.Id)}";
        return Results.Json(body, CampaignJson.Options, statusCode: 201);
    }

    internal static IResult NoSuchCampaign(string id) => Results.Problem(statusCode: 404, title: "No such campaign", detail: $"There is no campaign '{id}'.");

    internal static string UserName(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
