using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Workbench.Core.Data;

internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<WorkbenchDbContext>
{
    public WorkbenchDbContext CreateDbContext(string[] args) =>
        new(Options());

    private static DbContextOptions<WorkbenchDbContext> Options()
    {
        var builder = new DbContextOptionsBuilder<WorkbenchDbContext>();
        StoreLocation.ForFile("design.db").UseFor(builder);
        return builder.Options;
    }
}
