using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Workbench.Core.Csv;
using Workbench.Core.Import;
using Workbench.Security;

namespace Workbench.Api;

// Batches for a website, an app or a sending platform, each through the same importer as its CSV file, all or nothing:
// one bad item and nothing is written, and the 400 lists every problem by item number (1 = the first) and field.
// - POST /api/events: a JSON array of events whose properties are the events file's columns (event_id, customer_id,
//   occurred_at, type, sku, category, channel).
// - POST /api/outcomes: a JSON array of outcomes for a sending platform's webhooks, properties as the outcomes file's
//   columns (send_id or campaign_id + customer_id, delivered_at, opened_at, clicked_at, converted_at, revenue, margin,
//   unsubscribed_at); an outcome for an unknown send is a problem like any other.
public static class BatchImportEndpoints
{
    public const int MaxBatchBytes = 1024 * 1024, MaxItems = 10_000;

    public static IEndpointRouteBuilder MapEventApi(this IEndpointRouteBuilder app)
    {
        Map(app, "/api/events", ImportKind.Events, "event", "Events")
            .WithName("PostEvents")
            .WithSummary("A batch of up to 10,000 events (JSON array; properties as the events file's columns), validated as the events import, all or nothing; 400 lists each problem by event and field.");
        return app;
    }

    public static IEndpointRouteBuilder MapOutcomeApi(this IEndpointRouteBuilder app)
    {
        Map(app, "/api/outcomes", ImportKind.Outcomes, "outcome", "Outcomes")
            .WithName("PostOutcomes")
            .WithSummary("A batch of up to 10,000 outcomes of sends (JSON array; properties as the outcomes file's columns: send_id or campaign_id and customer_id, then delivered_at, opened_at, clicked_at, converted_at, revenue, margin, unsubscribed_at), joined to their sends, all or nothing; 400 lists each problem (an unknown send among them) by outcome and field.");
        return app;
    }

    private static RouteHandlerBuilder Map(IEndpointRouteBuilder app, string route, ImportKind kind, string noun, string title) =>
        app.MapPost(route, async (HttpContext http, ImportService imports, CancellationToken ct) =>
            {
                if (await ApiBodies.ReadLimitedAsync(http.Request, MaxBatchBytes, ct) is not { } body)
                    return Results.Problem(statusCode: 413, title: "Batch too large", detail: $"A batch is at most {MaxBatchBytes:N0} bytes; send more batches.");
                var (csv, problem) = ToCsv(body, ImportSchemas.For(kind), noun);
                if (problem is not null) return Results.Problem(statusCode: 400, title: $"{title} refused", detail: problem);
                await using var stream = new MemoryStream(csv!);
                var result = await imports.ImportAsync(stream, new ImportRequest(kind, $"api-{noun}s.json", ImportMode.AllOrNothing,
                    http.User.Identity?.Name ?? "unknown", stream.Length), null, ct);
                if (result.Outcome == ImportOutcome.Imported)
                    return Results.Json(new { importId = result.ImportRunId, received = result.RowsRead, inserted = result.Inserted, updated = result.Updated, unchanged = result.Unchanged,
                        warnings = result.Problems.Where(p => p.Severity == ProblemSeverity.Warning).Select(p => Describe(p, noun)) }, statusCode: 200);
                var problems = result.Problems.Where(p => p.Severity == ProblemSeverity.Error).Select(p => Describe(p, noun)).ToList();
                return Results.Problem(statusCode: result.Outcome == ImportOutcome.Refused ? 400 : 503, title: $"{title} refused, nothing written",
                    detail: problems.Count > 0 ? string.Join("; ", problems.Take(5).Select(p => p["message"])) : result.Message ?? result.Summary,
                    extensions: new Dictionary<string, object?> { ["problems"] = problems });
            })
            .RequireAuthorization(Access.Import)
            .WithTags(title)
            .Accepts<JsonElement>("application/json")
            .ProducesProblem(400)
            .ProducesProblem(413);

    // The importer's line 1 is the header, so line n is item n − 1: {noun: n, field, message}.
    private static Dictionary<string, object?> Describe(ImportProblem p, string noun)
    {
        var number = p.Line > 1 ? p.Line - 1 : (long?)null;
        var where = number is { } n ? $"{noun} {n}" : "the batch";
        return new Dictionary<string, object?>
        {
            [noun] = number, ["field"] = p.Column, ["message"] = $"{where}{(p.Column is { } c ? $", {c}" : "")}: {p.Reason}",
        };
    }

    // The batch as a CSV of the kind with every column of its schema, in order; null values and missing properties are
    // empty fields. A non-array, a non-object item, an unknown property or a nested value is refused here, naming it.
    private static (byte[]? Csv, string? Problem) ToCsv(byte[] body, ImportSchema schema, string noun)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return (null, $"The body is not JSON: {e.Message.Split(" Path:", 2)[0]}");
        }
        using (document)
        {
            var columns = schema.Fields.Select(f => f.Name).ToList();
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                return (null, $"The body is a JSON array of {noun}s: [{{{string.Join(", ", columns.Take(3).Select(c => $"\"{c}\": …"))}}}, …].");
            var count = document.RootElement.GetArrayLength();
            if (count == 0) return (null, $"The batch has no {noun}s.");
            if (count > MaxItems) return (null, $"A batch has at most {MaxItems:N0} {noun}s; this one has {count:N0}.");
            using var buffer = new MemoryStream();
            using (var writer = new StreamWriter(buffer, new System.Text.UTF8Encoding(false), leaveOpen: true))
            using (var csv = SafeCsv.CreateWriter(writer))
            {
                csv.WriteRow(columns);
                var n = 0;
                foreach (var e in document.RootElement.EnumerateArray())
                {
                    n++;
                    if (e.ValueKind != JsonValueKind.Object) return (null, $"{noun} {n}: an {noun} is a JSON object, not {e.ValueKind.ToString().ToLowerInvariant()}");
                    var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                    foreach (var property in e.EnumerateObject())
                    {
                        if (!columns.Contains(property.Name))
                            return (null, $"{noun} {n}: unknown field '{property.Name}'; the fields are {string.Join(", ", columns)}");
                        values[property.Name] = property.Value.ValueKind switch
                        {
                            JsonValueKind.String => property.Value.GetString(),
                            JsonValueKind.Number => property.Value.GetRawText(),
                            JsonValueKind.Null => null,
                            JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                            _ => "\u0000nested",
                        };
                        if (values[property.Name] == "\u0000nested") return (null, $"{noun} {n}, {property.Name}: a field is a string or a number, not an object or array");
                    }
                    csv.WriteRow(columns.Select(c => values.GetValueOrDefault(c)));
                }
            }
            return (buffer.ToArray(), null);
        }
    }
}
