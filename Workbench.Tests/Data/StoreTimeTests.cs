using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Data;
using Workbench.Core.Import;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Data;

public sealed class StoreTimeTests
{
    [Theory]
    [InlineData("2026-03-01 14:05:00", 2026, 3, 1, 14, 5, 0, 0)]
    [InlineData("2026-03-01 14:05:00.25", 2026, 3, 1, 14, 5, 0, 2_500_000)]
    [InlineData("2026-03-01 14:05:00.1234567", 2026, 3, 1, 14, 5, 0, 1_234_567)]
    public void FormatAndParse_RoundTrip_InTheStoresShape(string text, int y, int mo, int d, int h, int mi, int s, long extraTicks)
    {
        var utc = new DateTime(y, mo, d, h, mi, s, DateTimeKind.Utc).AddTicks(extraTicks);

        Assert.Equal(text, StoreTime.Format(utc));
        Span<byte> utf8 = stackalloc byte[32];
        Assert.Equal(text, Encoding.UTF8.GetString(utf8[..StoreTime.Format(utc, utf8)]));
        Assert.Equal(utc, StoreTime.Parse(text));
        Assert.Equal(DateTimeKind.Utc, StoreTime.Parse(text).Kind);
        Assert.Equal(utc.Ticks, StoreTime.ParseTicks(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Parse_ATimeWithAnOffset_IsTakenToUtc()
    {
        Assert.Equal(new DateTime(2026, 3, 1, 13, 5, 0, DateTimeKind.Utc), StoreTime.Parse("2026-03-01T14:05:00+01:00"));
        Assert.Equal(new DateOnly(2026, 3, 1), StoreTime.ParseDate("2026-03-01"));
        Assert.Equal("2026-03-01", StoreTime.Format(new DateOnly(2026, 3, 1)));
    }

    // EF Core writes through StoreTime's converter: the text in the file is the importer's and the bulk paths' shape,
    // and the value comes back as UTC.
    [Fact]
    public async Task EfCore_WritesAndReadsTimesThroughStoreTime()
    {
        await using var store = await TestStore.CreateAsync();
        var factory = store.Services.GetRequiredService<IDbContextFactory<WorkbenchDbContext>>();
        var started = new DateTime(2026, 6, 1, 7, 30, 0, 250, DateTimeKind.Utc);
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.ImportRuns.Add(new ImportRun { FileName = "f.csv", UserName = "u", StartedAt = started, FirstOrderedAt = started.AddDays(-1) });
            await db.SaveChangesAsync();
        }
        using (var reader = store.Location.Bulk.OpenReader())
        {
            using var rows = reader.Query("SELECT started_at, first_ordered_at FROM import_runs");
            Assert.True(rows.Next());
            Assert.Equal("2026-06-01 07:30:00.25", rows.Text(0));
            Assert.Equal("2026-05-31 07:30:00.25", rows.Text(1));
        }
        await using (var db = await factory.CreateDbContextAsync())
        {
            var run = await db.ImportRuns.SingleAsync(r => r.StartedAt >= new DateTime(2026, 6, 1));
            Assert.Equal(started, run.StartedAt);
            Assert.Equal(DateTimeKind.Utc, run.StartedAt.Kind);
        }
    }
}
