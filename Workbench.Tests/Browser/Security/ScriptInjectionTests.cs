using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Workbench.Core.Audit;
using Workbench.Core.Import;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Security;

// Customer-provided text is data: imported <script> and onerror names show as text and never run.
[Collection(AppCollection.Name)]
public sealed class ScriptInjectionTests(AppFixture app)
{
    private const string ScriptName = "<script>window.__xss=1</script>";
    private const string ImgName = "<img src=x onerror=\"window.__xss=2\">";

    [Fact]
    public async Task HostileNames_RenderAsText_AndNoScriptRuns()
    {
        await app.WithStoreAsync(async services =>
        {
            var csv = $"customer_id,first_name,last_name,email\nXSS1,\"{ScriptName}\",\"{ImgName.Replace("\"", "\"\"")}\",x@example.com\n";
            var result = await services.GetRequiredService<ImportService>().ImportAsync(
                new MemoryStream(Encoding.UTF8.GetBytes(csv)),
                new ImportRequest(ImportKind.Customers, "<img src=x onerror=window.__xss=3>.csv", ImportMode.AllOrNothing, "<script>window.__xss=4</script>"),
                null, default);
            Assert.True(result.Succeeded, string.Join("; ", result.Problems));
            await services.GetRequiredService<AuditService>().RecordAsync("<b onmouseover=window.__xss=5>x</b>", AuditActions.Update,
                AuditEntities.Customer, "XSS1", [new FieldChange("first_name", ImgName, ScriptName)]);
        });

        var audit = await app.OpenAsync("/audit");
        await audit.Locator("#audit-grid", new() { HasText = ScriptName }).WaitForAsync();
        var text = await audit.InnerTextAsync("#audit-grid");
        Assert.Contains("<script>window.__xss=4</script>", text);
        Assert.Contains("<img src=x onerror=window.__xss=3>.csv", text);
        Assert.Contains(ImgName, text);
        Assert.Equal(0, await audit.Locator("#audit-grid img, #audit-grid script, #audit-grid b[onmouseover]").CountAsync());
        await audit.Locator("#audit-grid").HoverAsync();
        Assert.Equal("undefined", await audit.EvaluateAsync<string>("() => typeof window.__xss"));

        // The privacy export holds the names as JSON, served as JSON (nosniff), shown as text.
        var export = await audit.Context.NewPageAsync();
        await export.GotoAsync(app.BaseUrl + "/api/privacy/customers/XSS1");
        Assert.Contains("window.__xss=1", await export.InnerTextAsync("body"));
        Assert.Equal("undefined", await export.EvaluateAsync<string>("() => typeof window.__xss"));
    }
}
