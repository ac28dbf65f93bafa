using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workbench.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class KpiMonths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // WITHOUT ROWID (EF Core has no model setting for it, hence plain SQL; the model is the same): each row lives once,
            // in its primary key's b-tree, which is also the order the KPI job writes and reads them in.
            migrationBuilder.Sql("""
                CREATE TABLE "kpi_customer_months" (
                    "customer_id" TEXT NOT NULL,
                    "channel" TEXT NOT NULL,
                    "month" TEXT NOT NULL,
                    "region" TEXT NOT NULL,
                    "tier" TEXT NOT NULL,
                    "gross" REAL NOT NULL,
                    "returns" REAL NOT NULL,
                    "orders" INTEGER NOT NULL,
                    "costed_lines" INTEGER NOT NULL,
                    "margin" REAL NOT NULL,
                    "costed_gross" REAL NOT NULL,
                    "bought" INTEGER NOT NULL,
                    "last_day" TEXT NULL,
                    "previous_month" TEXT NULL,
                    "active_from" TEXT NULL,
                    "active_to" TEXT NULL,
                    CONSTRAINT "PK_kpi_customer_months" PRIMARY KEY ("customer_id", "channel", "month")
                ) WITHOUT ROWID;
                CREATE TABLE "kpi_cells" (
                    "dimension" TEXT NOT NULL,
                    "group_name" TEXT NOT NULL,
                    "month" TEXT NOT NULL,
                    "previous_month" TEXT NOT NULL,
                    "entries" INTEGER NOT NULL,
                    "buyers" INTEGER NOT NULL,
                    "gross" REAL NOT NULL,
                    "returns" REAL NOT NULL,
                    "orders" INTEGER NOT NULL,
                    "costed_lines" INTEGER NOT NULL,
                    "margin" REAL NOT NULL,
                    "costed_gross" REAL NOT NULL,
                    CONSTRAINT "PK_kpi_cells" PRIMARY KEY ("dimension", "group_name", "month", "previous_month")
                ) WITHOUT ROWID;
                CREATE TABLE "kpi_active_cells" (
                    "dimension" TEXT NOT NULL,
                    "group_name" TEXT NOT NULL,
                    "from_month" TEXT NOT NULL,
                    "to_month" TEXT NOT NULL,
                    "customers" INTEGER NOT NULL,
                    CONSTRAINT "PK_kpi_active_cells" PRIMARY KEY ("dimension", "group_name", "from_month", "to_month")
                ) WITHOUT ROWID;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_customer_features_probability_alive",
                table: "customer_features",
                column: "probability_alive");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "kpi_active_cells");

            migrationBuilder.DropTable(
                name: "kpi_cells");

            migrationBuilder.DropTable(
                name: "kpi_customer_months");

            migrationBuilder.DropIndex(
                name: "IX_customer_features_probability_alive",
                table: "customer_features");
        }
    }
}
