using Workbench.Core.Data;

namespace Workbench.Core.Import;

public sealed record SpoolProgress(long BytesCopied, long? TotalBytes)
{
    public double? Fraction => TotalBytes is > 0 ? Math.Clamp((double)BytesCopied / TotalBytes.Value, 0, 1) : null;
}

// An uploaded file copied to disk beside the store, so it can be previewed and then imported without holding it in
// memory or uploading it twice. Deleted when disposed.
public sealed class UploadSpool : IAsyncDisposable
{
    private UploadSpool(string path, string fileName, long length)
    {
        Path = path;
        FileName = fileName;
        Length = length;
    }

    public string Path { get; }
    public string FileName { get; }
    public long Length { get; }

    public static async Task<UploadSpool> CopyAsync(StoreLocation store, Stream upload, string fileName, long? totalBytes,
        IProgress<SpoolProgress>? progress, CancellationToken ct)
    {
        var directory = System.IO.Path.Combine(store.FilesDirectory, "uploads");
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, $"{Guid.NewGuid():N}.csv");
        try
        {
            await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 16];
            long copied = 0;
            int read;
            while ((read = await upload.ReadAsync(buffer, ct)) > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
                copied += read;
                progress?.Report(new SpoolProgress(copied, totalBytes));
            }
            return new UploadSpool(path, System.IO.Path.GetFileName(fileName), copied);
        }
        catch
        {
            TryDelete(path);
            throw;
        }
    }

    public Stream OpenRead() => new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);

    public ValueTask DisposeAsync()
    {
        TryDelete(Path);
        return ValueTask.CompletedTask;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
