using System.Reflection;
using System.Text.RegularExpressions;

namespace Workbench.Tests.Architecture;

// The store is reached through Workbench.Core/Data/ only: raw SQLite (SQLitePCL, Microsoft.Data.Sqlite, pragmas) appears
// nowhere but the SQLite provider's own folder, Data/Store/Sqlite/, and the web project references neither.
public sealed partial class StoreSeamTests
{
    private const string SeamFolder = "Workbench.Core/Data/Store/Sqlite/";

    [Fact]
    public void RawSqliteReferences_OnlyInsideTheSqliteProviderFolder()
    {
        var offenders = SourceTree.Files("Workbench.Core", ".cs").Concat(SourceTree.Files("Workbench", ".cs", ".razor"))
            .Where(f => !f.Path.StartsWith(SeamFolder, StringComparison.Ordinal))
            .Where(f => RawSqlite().IsMatch(SourceTree.Code(f.Text)))
            .Select(f => f.Path)
            .ToList();

        Assert.True(offenders.Count == 0,
            $"raw SQLite (SQLitePCL, Microsoft.Data.Sqlite) outside {SeamFolder}: {string.Join(", ", offenders)}; " +
            "go through the store seam (StoreLocation.Bulk, StoreSql) instead");
    }

    [Fact]
    public void WebProject_ReferencesNoSqliteAssemblyOrPackage()
    {
        var assemblies = typeof(Workbench.Cli.CommandLine).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(IsSqliteAssembly)
            .ToList();
        Assert.True(assemblies.Count == 0, $"Workbench.dll references {string.Join(", ", assemblies)}");

        var project = File.ReadAllText(Path.Combine(SourceTree.Root, "Workbench", "Workbench.csproj"));
        Assert.DoesNotMatch(SqlitePackage(), project);
    }

    // The check above reads the compiled web assembly; this proves it would see a reference if there were one.
    [Fact]
    public void AssemblyCheck_SeesCoresOwnSqliteReference()
    {
        Assert.Contains(typeof(Workbench.Core.Data.StoreLocation).Assembly.GetReferencedAssemblies(), a => IsSqliteAssembly(a.Name!));
    }

    internal static bool IsSqliteAssembly(string name) =>
        name.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal) || name.StartsWith("SQLitePCL", StringComparison.Ordinal);

    [GeneratedRegex(@"\bSQLitePCL\b|\bMicrosoft\.Data\.Sqlite\b|""\s*PRAGMA\b", RegexOptions.IgnoreCase)]
    internal static partial Regex RawSqlite();

    [GeneratedRegex(@"Include=""(Microsoft\.Data\.Sqlite|SQLitePCLRaw)[^""]*""")]
    private static partial Regex SqlitePackage();
}
