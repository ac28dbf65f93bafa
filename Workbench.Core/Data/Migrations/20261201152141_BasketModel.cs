using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workbench.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class BasketModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "basket_items",
                columns: table => new
                {
                    sku = table.Column<string>(type: "TEXT", nullable: false),
                    orders = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_basket_items", x => x.sku);
                });

            migrationBuilder.CreateTable(
                name: "basket_model",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    generation = table.Column<long>(type: "INTEGER", nullable: false),
                    orders = table.Column<long>(type: "INTEGER", nullable: false),
                    order_lines = table.Column<long>(type: "INTEGER", nullable: false),
                    skipped_baskets = table.Column<long>(type: "INTEGER", nullable: false),
                    max_basket_items = table.Column<int>(type: "INTEGER", nullable: false),
                    items = table.Column<int>(type: "INTEGER", nullable: false),
                    pairs = table.Column<int>(type: "INTEGER", nullable: false),
                    built_at = table.Column<string>(type: "TEXT", nullable: false),
                    seconds = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_basket_model", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "basket_pairs",
                columns: table => new
                {
                    sku_a = table.Column<string>(type: "TEXT", nullable: false),
                    sku_b = table.Column<string>(type: "TEXT", nullable: false),
                    orders = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_basket_pairs", x => new { x.sku_a, x.sku_b });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "basket_items");

            migrationBuilder.DropTable(
                name: "basket_model");

            migrationBuilder.DropTable(
                name: "basket_pairs");
        }
    }
}
