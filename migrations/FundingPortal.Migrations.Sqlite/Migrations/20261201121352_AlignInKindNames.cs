using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FundingPortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AlignInKindNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "LoggedByUserId",
                table: "TimeEntries",
                newName: "RecordedByUserId");

            migrationBuilder.RenameColumn(
                name: "LoggedAt",
                table: "TimeEntries",
                newName: "RecordedAt");

            migrationBuilder.RenameColumn(
                name: "ConfirmedByUserId",
                table: "InKindDeliveries",
                newName: "ReviewedByUserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "RecordedByUserId",
                table: "TimeEntries",
                newName: "LoggedByUserId");

            migrationBuilder.RenameColumn(
                name: "RecordedAt",
                table: "TimeEntries",
                newName: "LoggedAt");

            migrationBuilder.RenameColumn(
                name: "ReviewedByUserId",
                table: "InKindDeliveries",
                newName: "ConfirmedByUserId");
        }
    }
}
