/* sd-db-private.h — what a database backend implements for sd-db.c. */
#pragma once

#include "sd-db.h"

G_BEGIN_DECLS

typedef enum {
  SD_DB_VALUE_NULL,
  SD_DB_VALUE_INT,
  SD_DB_VALUE_TEXT,
  SD_DB_VALUE_BYTES,
} SdDbValueKind;

/* A bound parameter or a result value. */
typedef struct {
  SdDbValueKind kind;
  gint64 i;       /* SD_DB_VALUE_INT (booleans are 0/1) */
  char *s;        /* SD_DB_VALUE_TEXT; for INT results, a lazily made text form */
  GBytes *b;      /* SD_DB_VALUE_BYTES */
} SdDbValue;

struct _SdDbRows {
  GStrv columns;        /* column names */
  guint n_columns;
  guint n_rows;
  GArray *values;       /* SdDbValue, n_rows * n_columns, row-major */
};

typedef struct _SdDbVTable SdDbVTable;

struct _SdDb {
  const SdDbVTable *vtable;
  gpointer backend_data;
  gint64 schema_version;
};

struct _SdDbConn {
  SdDb *db;
  gboolean in_tx;
  gpointer backend_data;
};

struct _SdDbVTable {
  SdDbBackend backend;
  /* Parse @url, migrate (as @owner_url when not NULL), check safety; fill
   * db->backend_data and db->schema_version. */
  gboolean   (*open)      (SdDb *db, const char *url, const char *owner_url, GError **error);
  void       (*close)     (SdDb *db);
  gboolean   (*connect)   (SdDbConn *conn, GError **error);
  void       (*disconnect)(SdDbConn *conn);
  gboolean   (*begin)     (SdDbConn *conn, SdDbTxKind kind, const char *org_id, GError **error);
  gboolean   (*commit)    (SdDbConn *conn, GError **error);
  void       (*rollback)  (SdDbConn *conn);
  /* Run @sql; append result rows to @rows (already allocated, empty);
   * set *@changes to the number of rows changed by a write. */
  gboolean   (*query)     (SdDbConn *conn, const char *sql,
                           const SdDbValue *params, guint n_params,
                           SdDbRows *rows, gint64 *changes, GError **error);
  /* SQL of each system query, in this backend's dialect. */
  const char *sys_sql[SD_DB_SYS_N_QUERIES];
};

extern const SdDbVTable sd_db_sqlite_vtable;
#ifdef HAVE_POSTGRES
extern const SdDbVTable sd_db_pg_vtable;
#endif

/* Helpers for backends. */
SdDbRows *sd_db_rows_new          (void);
/* Set the column names once, before appending values. */
void      sd_db_rows_set_columns  (SdDbRows *rows, GStrv columns);
/* Append one value (takes ownership of v->s / v->b). */
void      sd_db_rows_append       (SdDbRows *rows, SdDbValue *v);

typedef struct {
  gint64 version;
  char *name;
  char *sql;
} SdDbMigration;

/* The migrations embedded for @backend_dir ("sqlite" or "postgres"), sorted
 * by version.  Files are named NNNN_name.sql.  Free with g_ptr_array_unref. */
GPtrArray *sd_db_migrations_load  (const char *backend_dir, GError **error);

G_END_DECLS
