// Package queue runs background work on River: the PostgreSQL driver over
// the server's own database (database/sql with lib/pq) or River's SQLite
// driver for the embedded default. Jobs are inserted in the transaction of
// the rows they work on (db.SQLTx), so a job exists exactly when its rows
// were committed; every instance on one database works the same queue, and
// the items of an instance that died are rescued and retried by another.
package queue
