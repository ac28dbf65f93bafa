using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workbench.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class SessionsTokenExpiryAuditCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "count",
                table: "audit_entries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<DateTime>(
                name: "hour",
                table: "audit_entries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "expires_at",
                table: "api_tokens",
                type: "TEXT",
                nullable: true);

            // Tokens made before expiry existed get the default lifetime from now, rather than never expiring.
            migrationBuilder.Sql("UPDATE api_tokens SET expires_at = datetime('now', '+90 days') WHERE expires_at IS NULL AND revoked_at IS NULL");

            migrationBuilder.CreateTable(
                name: "user_sessions",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ended_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_sessions", x => x.id);
                    table.ForeignKey(
                        name: "FK_user_sessions_AspNetUsers_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ux_audit_entries_hourly_read",
                table: "audit_entries",
                columns: new[] { "user_name", "action", "entity_type", "entity_id", "hour" },
                unique: true,
                filter: "hour IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_user_sessions_created_at",
                table: "user_sessions",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_user_sessions_user_id",
                table: "user_sessions",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "user_sessions");

            migrationBuilder.DropIndex(
                name: "ux_audit_entries_hourly_read",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "count",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "hour",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "expires_at",
                table: "api_tokens");
        }
    }
}
