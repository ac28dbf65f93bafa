using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workbench.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Playbook : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // WITHOUT ROWID (EF Core has no model setting for it, hence plain SQL; the model is the same): large tables read
            // one customer at a time, so each row lives once, in its primary key's b-tree, in the order a snapshot reads it.
            migrationBuilder.Sql("""
                CREATE TABLE "contact_history" (
                    "customer_id" TEXT NOT NULL,
                    "at" TEXT NOT NULL,
                    "play_id" TEXT NOT NULL,
                    "channel" TEXT NOT NULL,
                    "exclusion_group" TEXT NULL,
                    CONSTRAINT "PK_contact_history" PRIMARY KEY ("customer_id", "at", "play_id", "channel")
                ) WITHOUT ROWID;
                CREATE TABLE "points_history" (
                    "customer_id" TEXT NOT NULL,
                    "at" TEXT NOT NULL,
                    "points" INTEGER NOT NULL,
                    CONSTRAINT "PK_points_history" PRIMARY KEY ("customer_id", "at")
                ) WITHOUT ROWID;
                """);

            migrationBuilder.CreateTable(
                name: "plays",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    use_case_id = table.Column<string>(type: "TEXT", nullable: false),
                    owner = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    trigger_kind = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<string>(type: "TEXT", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plays", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "use_cases",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    objective = table.Column<string>(type: "TEXT", nullable: false),
                    journey_moment = table.Column<string>(type: "TEXT", nullable: false),
                    kpi = table.Column<string>(type: "TEXT", nullable: false),
                    owner = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_use_cases", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "play_channels",
                columns: table => new
                {
                    play_id = table.Column<string>(type: "TEXT", nullable: false),
                    channel = table.Column<string>(type: "TEXT", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_play_channels", x => new { x.play_id, x.channel });
                    table.ForeignKey(
                        name: "FK_play_channels_plays_play_id",
                        column: x => x.play_id,
                        principalTable: "plays",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "play_segments",
                columns: table => new
                {
                    play_id = table.Column<string>(type: "TEXT", nullable: false),
                    segment_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_play_segments", x => new { x.play_id, x.segment_id });
                    table.ForeignKey(
                        name: "FK_play_segments_plays_play_id",
                        column: x => x.play_id,
                        principalTable: "plays",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "play_versions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    play_id = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    changed_by = table.Column<string>(type: "TEXT", nullable: false),
                    changed_at = table.Column<string>(type: "TEXT", nullable: false),
                    summary = table.Column<string>(type: "TEXT", nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_play_versions", x => x.id);
                    table.ForeignKey(
                        name: "FK_play_versions_plays_play_id",
                        column: x => x.play_id,
                        principalTable: "plays",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_play_channels_channel_play_id",
                table: "play_channels",
                columns: new[] { "channel", "play_id" });

            migrationBuilder.CreateIndex(
                name: "IX_play_segments_segment_id_play_id",
                table: "play_segments",
                columns: new[] { "segment_id", "play_id" });

            migrationBuilder.CreateIndex(
                name: "IX_play_versions_play_id_version",
                table: "play_versions",
                columns: new[] { "play_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_plays_name",
                table: "plays",
                column: "name");

            migrationBuilder.CreateIndex(
                name: "IX_plays_owner",
                table: "plays",
                column: "owner");

            migrationBuilder.CreateIndex(
                name: "IX_plays_status",
                table: "plays",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "IX_plays_trigger_kind",
                table: "plays",
                column: "trigger_kind");

            migrationBuilder.CreateIndex(
                name: "IX_plays_use_case_id",
                table: "plays",
                column: "use_case_id");

            migrationBuilder.CreateIndex(
                name: "IX_use_cases_objective",
                table: "use_cases",
                column: "objective");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "contact_history");

            migrationBuilder.DropTable(
                name: "play_channels");

            migrationBuilder.DropTable(
                name: "play_segments");

            migrationBuilder.DropTable(
                name: "play_versions");

            migrationBuilder.DropTable(
                name: "points_history");

            migrationBuilder.DropTable(
                name: "use_cases");

            migrationBuilder.DropTable(
                name: "plays");
        }
    }
}
