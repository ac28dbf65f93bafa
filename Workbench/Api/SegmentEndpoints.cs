using Workbench.Core.Segments;
using Workbench.Core.Segments.Rules;
using Workbench.Security;

namespace Workbench.Api;

public static class SegmentEndpoints
{
    private const int MaxRuleBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapSegmentApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/segments").RequireAuthorization(Access.Segments);

        group.MapPost("/count", async (HttpRequest request, SegmentService segments, CancellationToken ct) =>
        {
            if (request.ContentLength > MaxRuleBytes)
                return Results.Problem(statusCode: 413, title: "Rule too large", detail: $"A rule is at most {MaxRuleBytes:N0} bytes.");
            using var reader = new StreamReader(request.Body);
            var parsed = RuleJson.Parse(await reader.ReadToEndAsync(ct));
            if (!parsed.IsValid)
            {
                return Results.Problem(statusCode: 400, title: "Invalid rule", detail: string.Join("; ", parsed.Problems),
                    extensions: new Dictionary<string, object?> { ["problems"] = parsed.Problems });
            }
            try
            {
                return Results.Ok(new { count = await segments.CountAsync(parsed.Rule!, ct) });
            }
            catch (SegmentTimeLimitException e)
            {
                return TooSlow(e);
            }
        }).Accepts<RuleGroup>("application/json");

        group.MapGet("/{id:long}/members", async (long id, int? page, int? pageSize, SegmentService segments, CancellationToken ct) =>
        {
            try
            {
                var result = await segments.MembersAsync(id, page ?? 1, pageSize ?? 100, ct);
                return result is null ? NotFound(id) : Results.Ok(result);
            }
            catch (SegmentTimeLimitException e)
            {
                return TooSlow(e);
            }
        });

        group.MapGet("/{id:long}/members.csv", async (long id, HttpContext context, SegmentService segments, CancellationToken ct) =>
        {
            if (await segments.ExportRowsAsync(id, ct) is not { } rows) return NotFound(id);
            // Contact details masked for a Viewer, as everywhere else.
            await CsvResponse.WriteAsync(context, $"segment-{id}-members.csv", context.User.MaskRows(rows), ct);
            return Results.Empty;
        });
        group.MapGet("/{id:long}/history.csv", async (long id, SegmentService segments, CancellationToken ct) =>
        {
            if (await segments.GetAsync(id, ct) is null) return NotFound(id);
            var csv = new System.Text.StringBuilder("at,size,entries,exits\n");
            foreach (var p in await segments.HistoryAsync(id, ct))
                csv.Append(System.FormattableString.Invariant($"{p.At:yyyy-MM-dd HH:mm:ss},{p.Size},{p.Entries},{p.Exits}\n"));
            return Results.File(System.Text.Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"segment-{id}-size-history.csv");
        });
        return app;
    }

    private static IResult TooSlow(SegmentTimeLimitException e) =>
        Results.Problem(statusCode: 422, title: "Rule too slow", detail: e.Message,
            extensions: new Dictionary<string, object?> { ["timeLimitSeconds"] = e.Limit.TotalSeconds });

    private static IResult NotFound(long id) =>
        Results.Problem(statusCode: 404, title: "No such segment", detail: $"There is no segment {id}.");
}
