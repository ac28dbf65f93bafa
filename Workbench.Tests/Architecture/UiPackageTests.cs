using System.Text.RegularExpressions;

namespace Workbench.Tests.Architecture;

// Core holds the rules and computations; pages live in the web project. Nothing in Core may reach for a UI package.
public sealed partial class UiPackageTests
{
    private static readonly string[] UiAssemblies = ["MudBlazor", "Plotly.Blazor", "Microsoft.AspNetCore.Components"];

    [Fact]
    public void CoreSources_ReferenceNoUiPackage()
    {
        var offenders = SourceTree.Files("Workbench.Core", ".cs", ".razor")
            .Where(f => !f.Path.Contains("/Migrations/", StringComparison.Ordinal))
            .Where(f => f.Path.EndsWith(".razor", StringComparison.Ordinal) || UiNamespace().IsMatch(SourceTree.Code(f.Text)))
            .Select(f => f.Path)
            .ToList();
        Assert.True(offenders.Count == 0, $"UI packages (MudBlazor, Plotly, AspNetCore.Components) referenced in Core: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void CoreAssemblyAndProject_ReferenceNoUiPackage()
    {
        var referenced = typeof(Workbench.Core.Data.StoreLocation).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => UiAssemblies.Any(u => n.StartsWith(u, StringComparison.Ordinal)))
            .ToList();
        Assert.True(referenced.Count == 0, $"Workbench.Core.dll references {string.Join(", ", referenced)}");

        var project = File.ReadAllText(Path.Combine(SourceTree.Root, "Workbench.Core", "Workbench.Core.csproj"));
        Assert.DoesNotMatch(UiPackage(), project);
    }

    [GeneratedRegex(@"\bMudBlazor\b|\bPlotly\b|\bMicrosoft\.AspNetCore\.Components\b")]
    private static partial Regex UiNamespace();

    [GeneratedRegex(@"Include=""(MudBlazor|Plotly\.Blazor|Microsoft\.AspNetCore\.Components)[^""]*""")]
    private static partial Regex UiPackage();
}
