DROP TABLE "comments";
