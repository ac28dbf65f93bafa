using Microsoft.Playwright;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Security;

// The Content-Security-Policy must not break what the app uses: Blazor's circuit, MudBlazor, Plotly.
[Collection(AppCollection.Name)]
public sealed class ContentSecurityPolicyTests(AppFixture app)
{
    private static List<string> CollectViolations(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Add(message.Text);
        };
        return violations;
    }

    [Fact]
    public async Task EveryPageOfThisArea_RendersInteractivelyWithoutViolations()
    {
        await using var context = await app.SignedInContextAsync(AppFixture.AdminUserName, AppFixture.AdminPassword);
        foreach (var path in new[] { "/", "/users", "/audit", "/account", "/privacy" })
        {
            var page = await context.NewPageAsync();
            var violations = CollectViolations(page);
            await page.GotoAsync(app.BaseUrl + path);
            await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
            await page.WaitForTimeoutAsync(300);
            Assert.True(violations.Count == 0, $"{path}: {string.Join("\n", violations)}");
        }
    }

    [Fact]
    public async Task Plotly_DrawsAChartAndExportsPng_WithoutViolations()
    {
        var page = await app.OpenAsync("/");
        var violations = CollectViolations(page);

        // What Plotly.Blazor does: its interop module loads the Plotly bundle as a script; then a chart and a PNG export.
        var result = await page.EvaluateAsync<string>("""
            async () => {
                const interop = await import('/_content/Plotly.Blazor/plotly-interop-7.2.0.js');
                await interop.importScript('plotly-csp-test', '/_content/Plotly.Blazor/plotly-3.7.0.min.js');
                const div = document.createElement('div');
                div.style.width = '600px'; div.style.height = '300px';
                document.body.appendChild(div);
                await Plotly.newPlot(div, [{ type: 'bar', x: ['a', 'b', 'c'], y: [3, 1, 2] }, { type: 'scatter', x: ['a', 'b', 'c'], y: [1, 2, 3] }],
                    { title: { text: 'csp' } }, { displayModeBar: true, responsive: true });
                const png = await Plotly.toImage(div, { format: 'png', width: 300, height: 200 });
                return (div.querySelectorAll('.main-svg').length > 0) + '|' + png.substring(0, 22);
            }
            """);
        await page.WaitForTimeoutAsync(300);

        Assert.Equal("true|data:image/png;base64,", result);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
