using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Segments;

// On the sample data: the journey uses profile and consent fields, whose counts the test reads from the store itself.
[Collection(AppCollection.Name)]
public sealed class SegmentJourneyTests(AppFixture app)
{
    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> LiveCountAsync(IPage page) =>
        long.Parse((await page.Locator("[data-testid=live-count]").TextContentAsync())!.Replace(",", ""));

    [Fact]
    public async Task Segment_FromTemplate_EditCountSave_AppearsInTheList()
    {
        const string EmailGranted = "EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = c.customer_id AND k.channel = 'email' AND k.status = 'granted')";
        var goldOrPlatinum = await ScalarAsync($"SELECT COUNT(*) FROM customers c WHERE c.loyalty_tier IN ('Gold','Platinum') AND {EmailGranted}");
        var gold = await ScalarAsync($"SELECT COUNT(*) FROM customers c WHERE c.loyalty_tier = 'Gold' AND {EmailGranted}");
        Assert.True(goldOrPlatinum > gold && gold > 0);

        var page = await app.OpenAsync("/segments");
        await Assertions.Expect(page.Locator("[data-testid=templates]")).ToBeVisibleAsync();
        if (await page.Locator("[data-testid=segments-empty]").CountAsync() > 0) await AppFixture.ScreenshotAsync(page, "segments-empty");

        await page.Locator("[data-testid=template-email-reachable-members]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/segments/new\\?template=email-reachable-members$"), new() { Timeout = 30_000 });
        await page.WaitForSelectorAsync("#render-mode[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("[data-testid=live-count]")).ToHaveTextAsync(goldOrPlatinum.ToString("N0"));
        // The app rebuilt the features after loading sample-data: no "not computed yet" notice.
        await Assertions.Expect(page.Locator("[data-testid=features-missing]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=sample] a").First).ToHaveAttributeAsync("href", new Regex("^/customers/"));
        await AppFixture.ScreenshotAsync(page, "segment-builder-template");

        await page.Locator("input[data-testid=value-list]").FillAsync("Gold");
        await Assertions.Expect(page.Locator("[data-testid=live-count]")).ToHaveTextAsync(gold.ToString("N0"));

        await page.Locator("[data-testid=add-condition-1]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=rule-problems]")).ToContainTextAsync("condition 3 of group 1: no field chosen");
        await AppFixture.ScreenshotAsync(page, "segment-builder-problems");
        await page.Locator("[data-testid=remove-condition]").Nth(2).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=live-count]")).ToHaveTextAsync(gold.ToString("N0"));

        var name = "Gold by email " + Guid.NewGuid().ToString("N")[..6];
        await page.Locator("input[data-testid=segment-name]").FillAsync(name);
        await page.Locator("input[data-testid=segment-description]").FillAsync("Gold members we can email");
        await page.Locator("[data-testid=save-segment]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/segments/\\d+$"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=segment-meta]")).ToContainTextAsync("version 1");
        await Assertions.Expect(page.Locator("[data-testid=versions]")).ToContainTextAsync("created with 2 condition(s)");

        await page.Locator("[data-testid=refresh-now]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=history-chart] .js-plotly-plot")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await AppFixture.ScreenshotAsync(page, "segment-saved");

        await page.Locator("a[href='/segments']").First.ClickAsync();
        var row = page.Locator("[data-testid=segment-list] tbody tr", new() { HasText = name });
        await Assertions.Expect(row).ToContainTextAsync(gold.ToString("N0"));
        await AppFixture.ScreenshotAsync(page, "segments-list");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Builder_At1440_EveryFieldNameFitsThePicker()
    {
        var page = await app.OpenAsync("/segments/new");
        await page.SetViewportSizeAsync(1440, 900);
        await page.Locator("[data-testid=add-condition-1]").ClickAsync();
        await Assertions.Expect(page.Locator(".wb-condition input").First).ToBeAttachedAsync();

        // Each field's label measured in the picker's own font against the room its input gives the text.
        var labels = Workbench.Core.Segments.Rules.FieldCatalog.All.Select(f => f.Label).ToArray();
        var tooWide = await page.EvaluateAsync<string[]>("""
            labels => {
                const input = document.querySelector('.wb-condition input');
                const style = getComputedStyle(input);
                const context = document.createElement('canvas').getContext('2d');
                context.font = style.font;
                const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                return labels.map(l => [l, context.measureText(l).width]).filter(([, w]) => w > room)
                    .map(([l, w]) => `${l}: ${w.toFixed(0)} px in ${room.toFixed(0)} px`);
            }
            """, labels);
        Assert.Empty(tooWide);

        // The longest, really chosen: the input shows it whole; the open list shows every name whole too.
        var longest = labels.MaxBy(l => l.Length)!;
        await page.Locator(".wb-condition .mud-select").First.ClickAsync();
        var items = page.Locator(".mud-popover-open .mud-list-item");
        await Assertions.Expect(items.First).ToBeVisibleAsync();
        var clippedItems = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.mud-popover-open .mud-list-item')]
                .filter(i => i.scrollWidth > i.clientWidth + 1).map(i => i.innerText)
            """);
        Assert.Empty(clippedItems);
        await AppFixture.ScreenshotAsync(page, "segment-builder-1440-field-list");
        await items.Filter(new() { HasText = longest }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".wb-condition input").First).ToHaveValueAsync(longest);
        Assert.True(await page.Locator(".wb-condition input").First.EvaluateAsync<bool>("i => i.scrollWidth <= i.clientWidth"),
            $"'{longest}' is cut off in the picker");
        await AppFixture.ScreenshotAsync(page, "segment-builder-1440");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Segments_ChooseTwo_CompareShowsOverlapAndKpis()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        long Insert(string name, string rule) => ScalarAsync(
            "INSERT INTO segments (name, description, owner, rule_json, version, created_at, updated_at, updated_by) " +
            $"VALUES ('{name}', '', 'test', '{rule}', 1, '2026-11-25 08:00:00', '2026-11-25 08:00:00', 'test') RETURNING id").Result;
        var gold = Insert("Gold " + tag, """{"conditions":[{"field":"loyalty_tier","operator":"eq","value":"Gold"}]}""");
        var email = Insert("Email " + tag, """{"conditions":[{"field":"consent","operator":"is","channel":"email","value":"granted"}]}""");
        var both = await ScalarAsync("SELECT COUNT(*) FROM customers c JOIN consents k ON k.customer_id = c.customer_id AND k.channel = 'email' AND k.status = 'granted' WHERE c.loyalty_tier = 'Gold'");

        var page = await app.OpenAsync("/segments");
        await page.Locator($"input[data-testid=choose-{gold}]").CheckAsync();
        await page.Locator($"input[data-testid=choose-{email}]").CheckAsync();
        await page.Locator("[data-testid=compare]").ClickAsync();

        var overlap = page.Locator("[data-testid=overlap] tbody tr", new() { HasText = "Gold " + tag });
        await Assertions.Expect(overlap).ToContainTextAsync(both.ToString("N0"));
        await Assertions.Expect(page.Locator("[data-testid=compare-table]")).ToContainTextAsync("Reachable by email");
        await AppFixture.ScreenshotAsync(page, "segments-compare");
        await ScalarAsync($"DELETE FROM segments WHERE id IN ({gold}, {email}) RETURNING 1");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Segment_Unknown_SaysItDoesNotExist()
    {
        var page = await app.OpenAsync("/segments/999999");
        await Assertions.Expect(page.Locator("[data-testid=segment-not-found]")).ToContainTextAsync("There is no segment 999999");
        await AppFixture.ScreenshotAsync(page, "segment-not-found");
        await page.Context.CloseAsync();
    }
}
