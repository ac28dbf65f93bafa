using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workbench.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ValueDrivers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "category_transitions",
                columns: table => new
                {
                    from_category = table.Column<string>(type: "TEXT", nullable: false),
                    to_category = table.Column<string>(type: "TEXT", nullable: false),
                    steps = table.Column<long>(type: "INTEGER", nullable: false),
                    customers = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_category_transitions", x => new { x.from_category, x.to_category });
                });

            migrationBuilder.CreateTable(
                name: "gateway_entries",
                columns: table => new
                {
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    first_buyers = table.Column<long>(type: "INTEGER", nullable: false),
                    eligible_90d = table.Column<long>(type: "INTEGER", nullable: false),
                    repeat_90d = table.Column<long>(type: "INTEGER", nullable: false),
                    net_revenue = table.Column<double>(type: "REAL", nullable: false),
                    predicted_value_12m = table.Column<double>(type: "REAL", nullable: false),
                    predicted_count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_gateway_entries", x => new { x.kind, x.key });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "category_transitions");

            migrationBuilder.DropTable(
                name: "gateway_entries");
        }
    }
}
