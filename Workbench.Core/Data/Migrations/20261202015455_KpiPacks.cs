using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workbench.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class KpiPacks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "kpi_packs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    title = table.Column<string>(type: "TEXT", nullable: false),
                    period_from = table.Column<string>(type: "TEXT", nullable: false),
                    period_to = table.Column<string>(type: "TEXT", nullable: false),
                    run_ids = table.Column<string>(type: "TEXT", nullable: false),
                    weekly = table.Column<bool>(type: "INTEGER", nullable: false),
                    week_key = table.Column<string>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    progress = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<string>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", nullable: false),
                    finished_at = table.Column<string>(type: "TEXT", nullable: true),
                    error = table.Column<string>(type: "TEXT", nullable: true),
                    pptx = table.Column<byte[]>(type: "BLOB", nullable: true),
                    html = table.Column<byte[]>(type: "BLOB", nullable: true),
                    pptx_bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    html_bytes = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_kpi_packs", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_kpi_packs_created_at",
                table: "kpi_packs",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_kpi_packs_week_key",
                table: "kpi_packs",
                column: "week_key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "kpi_packs");
        }
    }
}
