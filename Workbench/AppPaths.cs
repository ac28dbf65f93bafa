namespace Workbench;

public static class AppPaths
{
    // The app's own folder: the project folder when run from a build inside the repository, else the binaries' folder.
    // The content root and the default store (data/ beside the app) hang off it, whatever the caller's current folder.
    public static string AppDirectory { get; } = FindAppDirectory();

    private static string FindAppDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workbench.csproj"))) return dir.FullName;
        }
        return AppContext.BaseDirectory;
    }

    public static string[] WithContentRoot(string[] args) =>
        args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
        || Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is not null
        || File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"))
            ? args
            : [.. args, "--contentRoot", AppDirectory];
}
