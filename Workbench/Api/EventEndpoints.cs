using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Workbench.Core.Csv;
using Workbench.Core.Import;
using Workbench.Security;

namespace Workbench.Api;

// Behaviour events in batches, for a website, an app or a sending platform: POST /api/events takes a JSON array of
// events whose properties are the events file's columns (event_id, customer_id, occurred_at, type, sku, category,
// channel). The batch goes through the same importer as an events CSV, all or nothing: one bad event and nothing is
// written, and the 400 lists every problem by event number (1 = the first) and field.
public static class EventEndpoints
{
    public const int MaxBatchBytes = 1024 * 1024, MaxEvents = 10_000;

    public static IEndpointRouteBuilder MapEventApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/events", async (HttpContext http, ImportService imports, CancellationToken ct) =>
            {
                if (await ApiBodies.ReadLimitedAsync(http.Request, MaxBatchBytes, ct) is not { } body)
                    return Results.Problem(statusCode: 413, title: "Batch too large", detail: $"A batch is at most {MaxBatchBytes:N0} bytes; send more batches.");
                var (csv, problem) = ToCsv(body);
                if (problem is not null) return Results.Problem(statusCode: 400, title: "Events refused", detail: problem);
                await using var stream = new MemoryStream(csv!);
                var result = await imports.ImportAsync(stream, new ImportRequest(ImportKind.Events, "api-events.json", ImportMode.AllOrNothing,
                    http.User.Identity?.Name ?? "unknown", stream.Length), null, ct);
                if (result.Outcome == ImportOutcome.Imported)
                    return Results.Json(new { importId = result.ImportRunId, received = result.RowsRead, inserted = result.Inserted, updated = result.Updated, unchanged = result.Unchanged,
                        warnings = result.Problems.Where(p => p.Severity == ProblemSeverity.Warning).Select(Describe) }, statusCode: 200);
                var problems = result.Problems.Where(p => p.Severity == ProblemSeverity.Error).Select(Describe).ToList();
                return Results.Problem(statusCode: result.Outcome == ImportOutcome.Refused ? 400 : 503, title: "Events refused, nothing written",
                    detail: problems.Count > 0 ? string.Join("; ", problems.Take(5).Select(p => p.Message)) : result.Message ?? result.Summary,
                    extensions: new Dictionary<string, object?> { ["problems"] = problems });
            })
            .RequireAuthorization(Access.Import)
            .WithTags("Events")
            .Accepts<JsonElement>("application/json")
            .WithName("PostEvents")
            .WithSummary("A batch of up to 10,000 events (JSON array; properties as the events file's columns), validated as the events import, all or nothing; 400 lists each problem by event and field.")
            .ProducesProblem(400)
            .ProducesProblem(413);
        return app;
    }

    // The importer's line 1 is the header, so line n is event n − 1.
    private static ApiProblem Describe(ImportProblem p)
    {
        var eventNumber = p.Line > 1 ? p.Line - 1 : (long?)null;
        var where = eventNumber is { } n ? $"event {n}" : "the batch";
        return new ApiProblem(eventNumber, p.Column, $"{where}{(p.Column is { } c ? $", {c}" : "")}: {p.Reason}");
    }

    public sealed record ApiProblem(long? Event, string? Field, string Message);

    // The batch as an events CSV with every column of the schema, in its order; null values and missing properties are
    // empty fields. A non-array, a non-object event, an unknown property or a nested value is refused here, naming it.
    private static (byte[]? Csv, string? Problem) ToCsv(byte[] body)
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
            if (document.RootElement.ValueKind != JsonValueKind.Array) return (null, "The body is a JSON array of events: [{\"customer_id\": …, \"occurred_at\": …, \"type\": …}, …].");
            var count = document.RootElement.GetArrayLength();
            if (count == 0) return (null, "The batch has no events.");
            if (count > MaxEvents) return (null, $"A batch has at most {MaxEvents:N0} events; this one has {count:N0}.");
            var columns = ImportSchemas.Events.Fields.Select(f => f.Name).ToList();
            using var buffer = new MemoryStream();
            using (var writer = new StreamWriter(buffer, new System.Text.UTF8Encoding(false), leaveOpen: true))
            using (var csv = SafeCsv.CreateWriter(writer))
            {
                csv.WriteRow(columns);
                var n = 0;
                foreach (var e in document.RootElement.EnumerateArray())
                {
                    n++;
                    if (e.ValueKind != JsonValueKind.Object) return (null, $"event {n}: an event is a JSON object, not {e.ValueKind.ToString().ToLowerInvariant()}");
                    var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                    foreach (var property in e.EnumerateObject())
                    {
                        if (!columns.Contains(property.Name))
                            return (null, $"event {n}: unknown field '{property.Name}'; the fields are {string.Join(", ", columns)}");
                        values[property.Name] = property.Value.ValueKind switch
                        {
                            JsonValueKind.String => property.Value.GetString(),
                            JsonValueKind.Number => property.Value.GetRawText(),
                            JsonValueKind.Null => null,
                            JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                            _ => "\u0000nested",
                        };
                        if (values[property.Name] == "\u0000nested") return (null, $"event {n}, {property.Name}: a field is a string or a number, not an object or array");
                    }
                    csv.WriteRow(columns.Select(c => values.GetValueOrDefault(c)));
                }
            }
            return (buffer.ToArray(), null);
        }
    }
}
