using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FundingPortal.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CiImport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ImportBatches_FileSha256",
                table: "ImportBatches");

            migrationBuilder.AddColumn<string>(
                name: "FailureReason",
                table: "ImportBatches",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RowsAlreadyStored",
                table: "ImportBatches",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "RowsNotMinutes",
                table: "ImportBatches",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_ImportBatches_FileSha256",
                table: "ImportBatches",
                column: "FileSha256",
                unique: true,
                filter: "\"Status\" IN ('Running', 'Completed')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ImportBatches_FileSha256",
                table: "ImportBatches");

            migrationBuilder.DropColumn(
                name: "FailureReason",
                table: "ImportBatches");

            migrationBuilder.DropColumn(
                name: "RowsAlreadyStored",
                table: "ImportBatches");

            migrationBuilder.DropColumn(
                name: "RowsNotMinutes",
                table: "ImportBatches");

            migrationBuilder.CreateIndex(
                name: "IX_ImportBatches_FileSha256",
                table: "ImportBatches",
                column: "FileSha256",
                unique: true);
        }
    }
}
