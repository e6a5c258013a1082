using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FundingPortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CiReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CiJobTimeouts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProviderId = table.Column<int>(type: "INTEGER", nullable: false),
                    Project = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    JobName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TimeoutMinutes = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CiJobTimeouts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CiJobTimeouts_CiProviders_ProviderId",
                        column: x => x.ProviderId,
                        principalTable: "CiProviders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CiUsageRecords_ProviderId_Project_JobName_StartedAt_DurationSeconds_Status",
                table: "CiUsageRecords",
                columns: new[] { "ProviderId", "Project", "JobName", "StartedAt", "DurationSeconds", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_CiJobTimeouts_ProviderId_Project_JobName",
                table: "CiJobTimeouts",
                columns: new[] { "ProviderId", "Project", "JobName" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CiJobTimeouts");

            migrationBuilder.DropIndex(
                name: "IX_CiUsageRecords_ProviderId_Project_JobName_StartedAt_DurationSeconds_Status",
                table: "CiUsageRecords");
        }
    }
}
