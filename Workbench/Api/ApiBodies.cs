using System.Globalization;

namespace Workbench.Api;

// What the JSON endpoints share: a request body read up to a limit, and a version as an ETag.
public static class ApiBodies
{
    // The body's bytes, or null as soon as it is longer than maxBytes (by Content-Length or while reading).
    public static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return null;
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > maxBytes) return null;
        }
        return buffer.ToArray();
    }

    public static string ETag(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";
}
