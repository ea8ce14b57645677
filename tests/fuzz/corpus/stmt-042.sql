DESCRIBE function
