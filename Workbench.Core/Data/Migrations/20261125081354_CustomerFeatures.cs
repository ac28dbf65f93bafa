using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workbench.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class CustomerFeatures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "customer_category_activity",
                columns: table => new
                {
                    customer_id = table.Column<string>(type: "TEXT", nullable: false),
                    category = table.Column<string>(type: "TEXT", nullable: false),
                    net_spend = table.Column<double>(type: "REAL", nullable: false),
                    share = table.Column<double>(type: "REAL", nullable: false),
                    orders = table.Column<long>(type: "INTEGER", nullable: false),
                    last_bought_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_category_activity", x => new { x.customer_id, x.category });
                });

            migrationBuilder.CreateTable(
                name: "customer_event_activity",
                columns: table => new
                {
                    customer_id = table.Column<string>(type: "TEXT", nullable: false),
                    type = table.Column<string>(type: "TEXT", nullable: false),
                    total = table.Column<long>(type: "INTEGER", nullable: false),
                    last_90d = table.Column<long>(type: "INTEGER", nullable: false),
                    last_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_event_activity", x => new { x.customer_id, x.type });
                });

            migrationBuilder.CreateTable(
                name: "customer_features",
                columns: table => new
                {
                    customer_id = table.Column<string>(type: "TEXT", nullable: false),
                    orders = table.Column<long>(type: "INTEGER", nullable: false),
                    net_revenue = table.Column<double>(type: "REAL", nullable: false),
                    average_order_value = table.Column<double>(type: "REAL", nullable: true),
                    first_purchase_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_purchase_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    recency_days = table.Column<int>(type: "INTEGER", nullable: true),
                    tenure_days = table.Column<int>(type: "INTEGER", nullable: true),
                    mean_days_between_orders = table.Column<double>(type: "REAL", nullable: true),
                    expected_next_purchase_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    r_score = table.Column<int>(type: "INTEGER", nullable: true),
                    f_score = table.Column<int>(type: "INTEGER", nullable: true),
                    m_score = table.Column<int>(type: "INTEGER", nullable: true),
                    rfm_cell = table.Column<string>(type: "TEXT", nullable: true),
                    top_category_1 = table.Column<string>(type: "TEXT", nullable: true),
                    top_category_2 = table.Column<string>(type: "TEXT", nullable: true),
                    top_category_3 = table.Column<string>(type: "TEXT", nullable: true),
                    category_count = table.Column<int>(type: "INTEGER", nullable: false),
                    promo_share = table.Column<double>(type: "REAL", nullable: true),
                    store_share = table.Column<double>(type: "REAL", nullable: true),
                    web_share = table.Column<double>(type: "REAL", nullable: true),
                    app_share = table.Column<double>(type: "REAL", nullable: true),
                    favourite_weekday = table.Column<int>(type: "INTEGER", nullable: true),
                    favourite_daypart = table.Column<string>(type: "TEXT", nullable: true),
                    returns_rate = table.Column<double>(type: "REAL", nullable: true),
                    email_opens_90d = table.Column<int>(type: "INTEGER", nullable: false),
                    email_clicks_90d = table.Column<int>(type: "INTEGER", nullable: false),
                    probability_alive = table.Column<double>(type: "REAL", nullable: true),
                    expected_purchases_52w = table.Column<double>(type: "REAL", nullable: true),
                    predicted_value_12m = table.Column<double>(type: "REAL", nullable: true),
                    computed_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_features", x => x.customer_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_customer_category_activity_category_last_bought_at",
                table: "customer_category_activity",
                columns: new[] { "category", "last_bought_at" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_event_activity_type_last_at",
                table: "customer_event_activity",
                columns: new[] { "type", "last_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "customer_category_activity");

            migrationBuilder.DropTable(
                name: "customer_event_activity");

            migrationBuilder.DropTable(
                name: "customer_features");
        }
    }
}
