using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Workbench.Core.Data;

internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<WorkbenchDbContext>
{
    public WorkbenchDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<WorkbenchDbContext>().UseSqlite("Data Source=design.db").Options);
}
