namespace Workbench.Security;

// Workbench:MaxUploadBytes (default 2 GB). The Import page passes it to OpenReadStream(maxAllowedSize) and checks
// the file size first; Kestrel and form limits follow it for HTTP uploads.
public sealed record UploadLimits(long MaxUploadBytes)
{
    public const long DefaultMaxUploadBytes = 2L * 1024 * 1024 * 1024;

    public static UploadLimits From(IConfiguration configuration) =>
        new(configuration.GetValue("Workbench:MaxUploadBytes", DefaultMaxUploadBytes));

    // A message for the user when the file is too large, or null.
    public string? Check(long size) => size > MaxUploadBytes
        ? $"The file is {Describe(size)}; files up to {Describe(MaxUploadBytes)} can be imported (Workbench:MaxUploadBytes)."
        : null;

    public static string Describe(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.##} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MB",
        >= 1L << 10 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes} bytes",
    };
}
