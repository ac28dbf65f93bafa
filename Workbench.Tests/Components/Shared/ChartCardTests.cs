using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Workbench.Components.Shared;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Shared;

public sealed class ChartCardTests : BunitContext
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    [Fact]
    public void Naming_LongSubject_WrapsAtWordsWithNothingLost()
    {
        var naming = new ChartNaming("Repeat purchases per week: actual vs predicted",
            "segment Lapsing high-value customers in the North West who bought garden furniture", Today);

        Assert.Equal(["Repeat purchases per week: actual vs predicted"], naming.TitleLines);
        Assert.All(naming.SubtitleLines, l => Assert.True(l.Length <= ChartNaming.SubtitleLineChars, l));
        Assert.Equal("segment Lapsing high-value customers in the North West who bought garden furniture · 2026-12-01",
            string.Join(" ", naming.SubtitleLines));
        Assert.Equal(2, naming.SubtitleLines.Count);
        // 42 px pad under the modebar's row, 17 per title line, 15 per subtitle line, 14 before the plot.
        Assert.Equal(42 + 17 + 2 * 15 + 14, naming.TopMargin);
    }

    [Fact]
    public void Naming_PlotlyTitle_PutsTheSubtitleOnItsOwnSmallerLine_AndEscapesMarkup()
    {
        var naming = new ChartNaming("Size over time", "segment <b>Big</b> & small", Today);

        Assert.Equal("Size over time<br><span style=\"font-size:11px\">segment &lt;b&gt;Big&lt;/b&gt; &amp; small · 2026-12-01</span>",
            naming.PlotlyTitle);
    }

    [Fact]
    public void Card_ACustomiserSmallMargin_IsRaisedToWhatTheTitleNeeds()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(new FixedClock(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero)));
        var subject = "holdout 2026-08-23 to 2026-11-22, the calibration end of the sample data and the last day it holds";

        var card = Render<ChartCard>(p => p
            .Add(c => c.Id, "c").Add(c => c.Title, "Cumulative repeat purchases: actual vs predicted").Add(c => c.Subject, subject)
            .Add(c => c.Data, new List<ITrace> { new Scatter { X = [1, 2], Y = [3, 4] } }).Add(c => c.Csv, "x,y\n")
            .Add(c => c.Customize, layout =>
            {
                layout.Margin = new Plotly.Blazor.LayoutLib.Margin { T = 20, L = 200 };
                return layout;
            }));

        var layout = card.FindComponent<PlotlyChart>().Instance.Layout;
        var naming = new ChartNaming("Cumulative repeat purchases: actual vs predicted", subject, Today);
        Assert.Equal(naming.TopMargin, (int)layout.Margin.T!);
        Assert.Equal(200, (int)layout.Margin.L!);
        Assert.Equal(naming.PlotlyTitle, layout.Title.Text);
    }
}
