using Workbench.Core.Csv;

namespace Workbench.Api;

// Streams rows as a CSV download. Kestrel refuses synchronous writes, so the writer is flushed asynchronously every
// few rows, before its buffer could fill and write through synchronously.
public static class CsvResponse
{
    private const int FlushEvery = 100;

    public static async Task WriteAsync(HttpContext http, string fileName, IAsyncEnumerable<IEnumerable<string?>> rows, CancellationToken ct)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(false), 1 << 16);
        await using var csv = SafeCsv.CreateWriter(writer);
        var count = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            csv.WriteRow(row);
            if (++count % FlushEvery == 0) await csv.FlushAsync();
        }
        await csv.FlushAsync();
    }
}
