using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workbench.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Customer360 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "customer_stats",
                columns: table => new
                {
                    customer_id = table.Column<string>(type: "TEXT", nullable: false),
                    orders = table.Column<long>(type: "INTEGER", nullable: false),
                    units = table.Column<double>(type: "REAL", nullable: false),
                    gross_revenue = table.Column<double>(type: "REAL", nullable: false),
                    returns = table.Column<double>(type: "REAL", nullable: false),
                    net_revenue = table.Column<double>(type: "REAL", nullable: false),
                    first_purchase_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_purchase_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_stats", x => x.customer_id);
                });

            migrationBuilder.CreateTable(
                name: "quality_snapshots",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    import_run_id = table.Column<long>(type: "INTEGER", nullable: true),
                    taken_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    score = table.Column<double>(type: "REAL", nullable: false),
                    figures_json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quality_snapshots", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_order_lines_customer_id",
                table: "order_lines",
                column: "customer_id");

            migrationBuilder.CreateIndex(
                name: "IX_events_customer_id_occurred_at",
                table: "events",
                columns: new[] { "customer_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "IX_customers_loyalty_tier_customer_id",
                table: "customers",
                columns: new[] { "loyalty_tier", "customer_id" });

            migrationBuilder.CreateIndex(
                name: "IX_customers_region_customer_id",
                table: "customers",
                columns: new[] { "region", "customer_id" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_stats_last_purchase_at",
                table: "customer_stats",
                column: "last_purchase_at");

            migrationBuilder.CreateIndex(
                name: "IX_customer_stats_net_revenue",
                table: "customer_stats",
                column: "net_revenue");

            migrationBuilder.CreateIndex(
                name: "IX_customer_stats_orders",
                table: "customer_stats",
                column: "orders");

            migrationBuilder.CreateIndex(
                name: "IX_quality_snapshots_taken_at",
                table: "quality_snapshots",
                column: "taken_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "customer_stats");

            migrationBuilder.DropTable(
                name: "quality_snapshots");

            migrationBuilder.DropIndex(
                name: "IX_order_lines_customer_id",
                table: "order_lines");

            migrationBuilder.DropIndex(
                name: "IX_events_customer_id_occurred_at",
                table: "events");

            migrationBuilder.DropIndex(
                name: "IX_customers_loyalty_tier_customer_id",
                table: "customers");

            migrationBuilder.DropIndex(
                name: "IX_customers_region_customer_id",
                table: "customers");
        }
    }
}
