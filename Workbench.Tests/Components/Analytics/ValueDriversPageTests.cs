using System.Globalization;
using System.Text.RegularExpressions;
using Bunit;
using Workbench.Core.Analytics.CustomerFeatures;
using Workbench.Core.Analytics.ValueDrivers;
using Workbench.Features.Analytics;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Analytics;

public sealed class ValueDriversPageTests : StorePageContext
{
    // Ten buyers (net revenue 10 … 100, the top 20% C8 and C9): C0–C4 bought on one day only and score P(alive) 1,
    // C5–C7 (others) 0.9, 0.5, 0.3 and C8, C9 (top) 0.6, 0.8 over two purchase days; as in ValueDriverServiceTests.
    // R and M scores 1–5 twice over; F scores 1, 1, 3, 3, 4, 4, 5, 5, 1, 3: nobody has F = 2.
    protected override async Task ArrangeAsync(TestStore store)
    {
        double[] alive = [1, 1, 1, 1, 1, 0.9, 0.5, 0.3, 0.6, 0.8];
        int[] f = [1, 1, 3, 3, 4, 4, 5, 5, 1, 3];
        for (var i = 0; i < 10; i++)
        {
            await store.RowsAsync(string.Create(CultureInfo.InvariantCulture, $"""
                INSERT INTO customer_features (customer_id, orders, net_revenue, first_purchase_at, last_purchase_at, probability_alive,
                    r_score, f_score, m_score, rfm_cell, category_count, email_opens_90d, email_clicks_90d, computed_at)
                VALUES ('C{i}', {(i < 5 ? 1 : 2)}, {10 * (i + 1)}, '2026-03-01 10:00:00', '{(i < 5 ? "2026-03-01 10:00:00" : "2026-05-01 10:00:00")}',
                    {alive[i]}, {i % 5 + 1}, {f[i]}, {i % 5 + 1}, '{i % 5 + 1}{f[i]}{i % 5 + 1}', 1, 0, 0, '2026-06-30 00:00:00')
                """));
        }
        Use<ValueDriverService>();
        Use<IncrementalFeatures>();
        Use<FeatureService>();
    }

    [Fact]
    public void ProbabilityAlive_IsExplained_AndComparedAmongRepeatBuyers()
    {
        var page = Render<ValueDriversPage>();

        page.WaitForAssertion(() => page.Find("[data-testid=alive-by-repeat]"), TimeSpan.FromSeconds(30));
        var note = Regex.Replace(page.Find("[data-testid=alive-by-repeat]").TextContent, @"\s+", " ");
        Assert.Contains("P(alive) = 1", note);
        // 5 of the 8 others and none of the 2 top buyers bought on one day only.
        Assert.Contains("63% of the others bought on one day only, against 0% of the top 20%", note);
        // Repeat buyers: top (0.6 + 0.8) / 2 = 0.70, others (0.9 + 0.5 + 0.3) / 3 = 0.57, d = +0.51 (the Core test's figures).
        Assert.Equal("top 20% 0.70 (2 customers) against others 0.57 (3), Cohen's d +0.51 (medium)",
            Regex.Replace(page.Find("[data-testid=alive-repeat-figures]").TextContent, @"\s+", " ").Trim());
    }

    [Fact]
    public void RfmPanel_AScoreNobodyHas_IsFlagged()
    {
        var page = Render<ValueDriversPage>();

        page.WaitForAssertion(() => page.Find("[data-testid=rfm-empty-scores]"), TimeSpan.FromSeconds(30));
        Assert.Equal("No buyer has F = 2.", Regex.Replace(page.Find("[data-testid=rfm-empty-scores]").TextContent, @"\s+", " ").Trim());
    }
}
