using System.Text.RegularExpressions;

namespace Workbench.Tests.Architecture;

// The repository's source files as the compiler sees them (obj/ and bin/ left out), with paths relative to the root.
internal static partial class SourceTree
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Workbench.sln not found above " + AppContext.BaseDirectory);
    }

    public static IEnumerable<(string Path, string Text)> Files(string project, params string[] extensions) =>
        Directory.EnumerateFiles(Path.Combine(Root, project), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => extensions.Any(e => f.EndsWith(e, StringComparison.Ordinal)))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Select(f => (f, File.ReadAllText(Path.Combine(Root, f))));

    // Comments removed, so a comment naming a package is no reference to it (string literals are kept).
    public static string Code(string text) => Comments().Replace(text, "");

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@\*.*?\*@", RegexOptions.Singleline)]
    private static partial Regex Comments();
}
