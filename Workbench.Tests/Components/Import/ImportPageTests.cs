using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Workbench.Core.Data;
using Workbench.Core.Import;
using Workbench.Features.Import;
using Workbench.Security;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Import;

public sealed class ImportPageTests : BunitContext, IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(_store.Imports);
        Services.AddSingleton(_store.Location);
        Services.AddSingleton(new UploadLimits(1_000_000));
        Services.AddScoped<CurrentUser>();
        AddAuthorization().SetAuthorized("maria");
        Render<MudPopoverProvider>();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public void Idle_EmptyStore_ShowsTheChooserAndAnEmptyHistory()
    {
        var page = Render<ImportPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=history-empty]")));
        Assert.Contains("Drop a CSV file here", page.Markup);
        Assert.Empty(page.FindAll("[data-testid=import-preview]"));
        Assert.Empty(page.FindAll("[data-testid=import-result]"));
    }

    [Fact]
    public void Previewing_SemicolonFile_ShowsDelimiterMappingAndRows_AndGuessesTheKindFromTheName()
    {
        var page = Render<ImportPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=history-empty]"));

        Upload(page, "products_spring.csv", "SKU;Name;Category;Price;shelf\nP1;Tea;Grocery;3.50;A2\nP2;Mug;Home;7.00;B1\n");

        page.WaitForAssertion(() => page.Find("[data-testid=import-preview]"));
        Assert.Equal("semicolon delimited", page.Find("[data-testid=preview-delimiter]").TextContent.Trim());
        var mapping = page.Find("[data-testid=preview-mapping]").TextContent;
        Assert.Contains("SKU → sku *", mapping);
        Assert.Contains("Price → price *", mapping);
        Assert.Contains("shelf → ignored", mapping);
        var rows = page.FindAll("[data-testid=preview-rows] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("Mug", rows[1].TextContent);
        Assert.Contains("Products", page.Find("[data-testid=import-preview]").TextContent);
        Assert.False(page.Find("[data-testid=start-import]").HasAttribute("disabled"));
    }

    [Fact]
    public void Previewing_MissingRequiredColumn_SaysWhichAndCannotImport()
    {
        var page = Render<ImportPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=history-empty]"));

        Upload(page, "products.csv", "sku,name,price\nP1,Tea,3.50\n");

        page.WaitForAssertion(() => page.Find("[data-testid=preview-missing]"));
        Assert.Contains("Missing required column(s): category", page.Find("[data-testid=preview-missing]").TextContent);
        Assert.True(page.Find("[data-testid=start-import]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Done_AllOrNothingWithAnInvalidRow_ShowsRefusedWithTheProblemAndRecordsItInTheHistory()
    {
        var page = Render<ImportPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=history-empty]"));
        Upload(page, "products.csv", "sku,name,category,price\nP1,Tea,Grocery,3.50\nP2,Mug,Home,-7\n");
        page.WaitForAssertion(() => page.Find("[data-testid=start-import]"));

        await page.InvokeAsync(() => page.Find("[data-testid=start-import]").Click());

        page.WaitForAssertion(() => page.Find("[data-testid=import-result]"), TimeSpan.FromSeconds(30));
        var summary = page.Find("[data-testid=result-summary]").TextContent;
        Assert.Contains("Refused: nothing was written. products.csv: 1 problems in 2 rows.", summary);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(summary, "nothing"));
        var problem = page.Find("[data-testid=problem-table] tbody tr").TextContent;
        Assert.Contains("3", problem);
        Assert.Contains("price", problem);
        Assert.Contains("Download the invalid rows with their reasons", page.Find("[data-testid=download-rejected]").TextContent);
        page.WaitForAssertion(() => Assert.Contains("refused", page.Find("[data-testid=import-history]").TextContent));
        Assert.Equal(0, await _store.CountAsync("products"));
    }

    [Fact]
    public async Task Done_SkipInvalid_WritesTheValidRowsAndOffersTheRejectedRows()
    {
        var page = Render<ImportPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=history-empty]"));
        await page.InvokeAsync(() => page.Find("input[data-testid=mode-skip]").Click());
        Upload(page, "products.csv", "sku,name,category,price\nP1,Tea,Grocery,3.50\nP2,Mug,Home,abc\n");
        page.WaitForAssertion(() => page.Find("[data-testid=start-import]"));

        await page.InvokeAsync(() => page.Find("[data-testid=start-import]").Click());

        page.WaitForAssertion(() => page.Find("[data-testid=import-result]"), TimeSpan.FromSeconds(30));
        Assert.Contains("Imported.", page.Find("[data-testid=result-summary]").TextContent);
        var last = (await _store.Imports.HistoryAsync(1, default))[0];
        Assert.Equal($"api/imports/{last.Id}/rejected.csv", page.Find("[data-testid=download-rejected]").GetAttribute("href"));
        Assert.Equal(1, await _store.CountAsync("products"));
        Assert.Equal("maria", last.UserName);
    }

    [Fact]
    public void Upload_OverTheConfiguredLimit_IsRefusedWithAMessage()
    {
        var page = Render<ImportPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=history-empty]"));

        Upload(page, "customers.csv", "customer_id\n" + new string('x', 1_000_001));

        page.WaitForAssertion(() => Assert.Contains("files up to 976.6 KB can be imported", page.Find("[data-testid=import-error]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=import-preview]"));
    }

    [Fact]
    public async Task Progress_ShowsRowsRateAndTimeLeft_AndCancelCallsBack()
    {
        var cancelled = false;
        var panel = Render<ImportProgressPanel>(p => p
            .Add(x => x.FileName, "transactions.csv")
            .Add(x => x.Progress, new ImportProgress(RowsRead: 50_000, BytesRead: 2_500_000, TotalBytes: 10_000_000, Elapsed: TimeSpan.FromSeconds(10)))
            .Add(x => x.OnCancel, () => cancelled = true));

        // 50,000 rows in 10 s = 5,000 rows/s; a quarter of the bytes in 10 s leaves three quarters: 30 s.
        Assert.Equal("50,000 rows read", panel.Find("[data-testid=progress-rows]").TextContent.Trim());
        Assert.Equal("5,000 rows/s", panel.Find("[data-testid=progress-rate]").TextContent.Trim());
        Assert.Equal("about 30 s left", panel.Find("[data-testid=progress-remaining]").TextContent.Trim());
        Assert.Contains("25% of the file", panel.Markup);
        await panel.InvokeAsync(() => panel.Find("[data-testid=cancel-import]").Click());
        Assert.True(cancelled);
    }

    [Fact]
    public void Progress_AfterTheCommit_SaysWhatIsBeingUpdatedAndCannotBeCancelled()
    {
        var panel = Render<ImportProgressPanel>(p => p
            .Add(x => x.FileName, "transactions.csv")
            .Add(x => x.Progress, new ImportProgress(105_565, 0, null, TimeSpan.FromSeconds(3), "updating the customer features and the lifetime value model")));

        Assert.Equal("105,565 rows read and committed; now updating the customer features and the lifetime value model…",
            panel.Find("[data-testid=progress-stage]").TextContent.Trim());
        Assert.Empty(panel.FindAll("[data-testid=cancel-import]"));
    }

    private static void Upload(IRenderedComponent<ImportPage> page, string name, string text) =>
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(text, name));
}
