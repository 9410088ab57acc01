//! Generated data: the register records of the national data set and of the demo.

pub mod register;
