using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FundingPortal.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PledgeFulfilment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LoggedAt",
                table: "TimeEntries",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "TimeEntries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "CancelReason",
                table: "Pledges",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "CancelledAt",
                table: "Pledges",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CancelledByUserId",
                table: "Pledges",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PausedAt",
                table: "Pledges",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SettledAt",
                table: "Pledges",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ForgivenAt",
                table: "Installments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ForgivenByUserId",
                table: "Installments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "PeriodEnd",
                table: "Installments",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AddColumn<DateOnly>(
                name: "PeriodStart",
                table: "Installments",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AddColumn<string>(
                name: "RecordedByUserId",
                table: "InKindDeliveries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RejectionReason",
                table: "InKindDeliveries",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReviewedAt",
                table: "InKindDeliveries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "InKindDeliveries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "PaidByUserId",
                table: "Expenses",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RejectedByUserId",
                table: "Expenses",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReviewedAt",
                table: "Expenses",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "InstallmentReminders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InstallmentId = table.Column<int>(type: "INTEGER", nullable: false),
                    Stage = table.Column<int>(type: "INTEGER", nullable: false),
                    SentTo = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InstallmentReminders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InstallmentReminders_Installments_InstallmentId",
                        column: x => x.InstallmentId,
                        principalTable: "Installments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_InstallmentReminders_InstallmentId_Stage",
                table: "InstallmentReminders",
                columns: new[] { "InstallmentId", "Stage" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InstallmentReminders");

            migrationBuilder.DropColumn(
                name: "LoggedAt",
                table: "TimeEntries");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "TimeEntries");

            migrationBuilder.DropColumn(
                name: "CancelReason",
                table: "Pledges");

            migrationBuilder.DropColumn(
                name: "CancelledAt",
                table: "Pledges");

            migrationBuilder.DropColumn(
                name: "CancelledByUserId",
                table: "Pledges");

            migrationBuilder.DropColumn(
                name: "PausedAt",
                table: "Pledges");

            migrationBuilder.DropColumn(
                name: "SettledAt",
                table: "Pledges");

            migrationBuilder.DropColumn(
                name: "ForgivenAt",
                table: "Installments");

            migrationBuilder.DropColumn(
                name: "ForgivenByUserId",
                table: "Installments");

            migrationBuilder.DropColumn(
                name: "PeriodEnd",
                table: "Installments");

            migrationBuilder.DropColumn(
                name: "PeriodStart",
                table: "Installments");

            migrationBuilder.DropColumn(
                name: "RecordedByUserId",
                table: "InKindDeliveries");

            migrationBuilder.DropColumn(
                name: "RejectionReason",
                table: "InKindDeliveries");

            migrationBuilder.DropColumn(
                name: "ReviewedAt",
                table: "InKindDeliveries");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "InKindDeliveries");

            migrationBuilder.DropColumn(
                name: "PaidByUserId",
                table: "Expenses");

            migrationBuilder.DropColumn(
                name: "RejectedByUserId",
                table: "Expenses");

            migrationBuilder.DropColumn(
                name: "ReviewedAt",
                table: "Expenses");
        }
    }
}
